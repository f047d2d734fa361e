"""The mail outbox: mail is queued in the transaction that causes it, then sent.

Queueing in the same transaction means a mail exists exactly when the event
that caused it was committed. Sending happens after the commit: right away for
mail a person waits for (a confirmation link), and by ``flask mail send`` for
whatever could not be sent then, for example because the SMTP server was down.
"""
