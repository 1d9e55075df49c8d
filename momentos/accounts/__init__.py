"""Users, organisations (the tenant), branches, teams, channels, memberships, invitations and API tokens."""
