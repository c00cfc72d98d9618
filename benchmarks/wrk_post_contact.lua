-- wrk script for benchmarks/pages.py: valid contact-form submissions (POST /contact, through the outbox), each
-- with a submission key of its own, so every request stores a new lead. One client's session cookie and CSRF
-- token (fetched by the script beforehand) come in WSP_WRK_COOKIE and WSP_WRK_TOKEN; every answer must be 303.
dofile(os.getenv("WSP_WRK_REPORT"))

local cookie = os.getenv("WSP_WRK_COOKIE")
local token = os.getenv("WSP_WRK_TOKEN")
local run = os.getenv("WSP_WRK_RUN") or "run"
local places = {"utrecht", "houten", "lopik", "zeist", "woerden", "buiten-regio"}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local function form(n)
  local key = string.format("%s%02dx%012d", run, tid, n)
  local fields = {
    "csrf_token=" .. token,
    "company_name=Bedrijf+" .. key,
    "contact_name=Contact+" .. n,
    "email=contact" .. n .. "%40" .. key .. ".example.nl",
    "phone=06-" .. tostring(10000000 + n % 89999999),
    "location=" .. places[n % #places + 1],
    "sector=retail",
    "size_band=10-49",
    "request_type=instrument_vraag",
    "instruments=jobcoaching",
    "message=Bericht+van+de+belastingtest.",
    "consent=y",
    "submission_key=" .. key,
  }
  return table.concat(fields, "&")
end

request = function()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }
  return wrk.format("POST", "/contact", headers, form(counter))
end
