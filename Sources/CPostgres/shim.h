/* libpq, PostgreSQL's own client library (Debian libpq-dev): what `warehouse publish` talks to the server with. */
#include <postgresql/libpq-fe.h>
