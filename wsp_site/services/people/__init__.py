"""The people of the back office: sign-in and credentials, and what coordinators change about people and routing."""
