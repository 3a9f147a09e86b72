"""Small landing files shared by several test modules."""

# Three Salesforce accounts; 001C's employee count is not a number, so that row is quarantined.
ACCOUNTS_CSV = """\
Id,Name,Website,NumberOfEmployees,CreatedDate,IsDeleted
001A,Acme,https://www.acme.io,420,2025-11-02T10:00:00.000+0000,false
001B,Beta,https://beta.io,12,2025-11-03T10:00:00.000+0000,false
001C,Gamma,https://gamma.io,lots,2025-11-04T10:00:00.000+0000,false
"""
