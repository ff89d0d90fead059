"""One function per action: check it with the domain rules, write it in one
transaction, publish to the live hub after the commit."""
