/* WSP website: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Move the focus to the error summary (or another marked element) so it is read out first.
  var target = document.querySelector("[data-wsp-autofocus]");
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }

  // A link in the error summary focuses its field and scrolls the field's label into view too.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".wsp-error-summary a[href^='#']");
    if (!link) return;
    var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!input) return;
    var field = input.closest(".utrecht-form-fieldset, .utrecht-form-field") || input;
    event.preventDefault();
    field.scrollIntoView();
    input.focus({ preventScroll: true });
  });

  // Ask before a destructive action: <form data-wsp-confirm="..."> or <button data-wsp-confirm="...">.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var source = submitter && submitter.hasAttribute("data-wsp-confirm") ? submitter : event.target;
    var question = source.getAttribute && source.getAttribute("data-wsp-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // <select data-wsp-filters="instruments">: where the candidate lives decides which local schemes apply. The
  // server hides those that do not apply to the municipality in the form as sent; this follows a new choice.
  Array.prototype.forEach.call(document.querySelectorAll("select[data-wsp-filters]"), function (select) {
    var inputs = document.querySelectorAll("input[name='" + select.getAttribute("data-wsp-filters") + "']");
    select.addEventListener("change", function () {
      var chosen = select.value;
      Array.prototype.forEach.call(inputs, function (input) {
        var field = input.closest("[data-wsp-gemeenten]");
        if (!field) return;
        var places = field.getAttribute("data-wsp-gemeenten").split(" ");
        field.hidden = Boolean(chosen) && places.indexOf(chosen) === -1 && !input.checked;
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-wsp-tier]"), function (group) {
        var fields = group.querySelectorAll(".utrecht-form-field");
        group.hidden = !Array.prototype.some.call(fields, function (field) { return !field.hidden; });
      });
    });
  });

  // <button type="button" data-wsp-print hidden> becomes a working "print this page" button.
  Array.prototype.forEach.call(document.querySelectorAll("[data-wsp-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
