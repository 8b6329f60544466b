"""Citizen pages of "Dịch vụ công", one module per concern: the procedures, a procedure's form and the
review page that submits it (procedures), what the form and a correction share between posts: the
drafts in the session, the files kept, the count of posts carrying files (drafts), the citizen's
filings: the list, a filing's status page, a document's download, withdraw (filings), correct-and-resubmit
when the agency returned a filing (correction), the confirmation of an e-mail address typed on a form
(email_confirmation), and feedback (feedback).

Nothing is imported here: urls.py and the tests import the module that defines a name, so that a test
replacing one (`public_services.views.correction.filing_resubmit`,
`public_services.views.drafts.UPLOAD_POSTS_PER_LOGIN`) replaces what the views look up.
"""
