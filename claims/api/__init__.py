"""The claims app's REST API (/api/v1/): its operations on articles, claims, sources, verdicts, tags and claim
sets, and the instance that serves them; tokens, authentication, cursors and problem details are the
project's (workbench/api/)."""
