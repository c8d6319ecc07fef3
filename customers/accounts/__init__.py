"""Who may do what: roles and their permissions, signing in and out, the sign-in throttle, and
company sign-in through OpenID Connect."""
