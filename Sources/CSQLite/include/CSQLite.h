/* SQLite for the warehouse: the amalgamation in this folder (SQLite 3.54.1, vendored from
   vapor/sqlite-nio 1.13.2, which prefixes every function with sqlite_nio_ so it can never clash
   with the system's libsqlite3), compiled into the binary with the options in Package.swift.
   The system library (3.40 on Debian 12) is built with SECURE_DELETE and without lookaside,
   and measured 1.5 times slower at the warehouse's bulk inserts (see docs/performance.md).
   Swift calls the usual names; each is a wrapper around the prefixed function. */
#include "sqlite_nio_sqlite3.h"

#define CSQLITE_FORWARD(type, name, params, args) static inline type sqlite3_##name params { return sqlite_nio_sqlite3_##name args; }

CSQLITE_FORWARD(int, open_v2, (const char *file, sqlite3 **db, int flags, const char *vfs), (file, db, flags, vfs))
CSQLITE_FORWARD(int, close_v2, (sqlite3 *db), (db))
CSQLITE_FORWARD(int, busy_timeout, (sqlite3 *db, int ms), (db, ms))
CSQLITE_FORWARD(const char *, errmsg, (sqlite3 *db), (db))
CSQLITE_FORWARD(int, exec, (sqlite3 *db, const char *sql, int (*callback)(void *, int, char **, char **), void *context, char **error), (db, sql, callback, context, error))
CSQLITE_FORWARD(void, free, (void *p), (p))
CSQLITE_FORWARD(int, changes, (sqlite3 *db), (db))
CSQLITE_FORWARD(int, set_authorizer, (sqlite3 *db, int (*authorizer)(void *, int, const char *, const char *, const char *, const char *), void *context), (db, authorizer, context))
CSQLITE_FORWARD(int, prepare_v2, (sqlite3 *db, const char *sql, int bytes, sqlite3_stmt **statement, const char **tail), (db, sql, bytes, statement, tail))
CSQLITE_FORWARD(int, step, (sqlite3_stmt *s), (s))
CSQLITE_FORWARD(int, reset, (sqlite3_stmt *s), (s))
CSQLITE_FORWARD(int, finalize, (sqlite3_stmt *s), (s))
CSQLITE_FORWARD(int, clear_bindings, (sqlite3_stmt *s), (s))
CSQLITE_FORWARD(int, bind_null, (sqlite3_stmt *s, int i), (s, i))
CSQLITE_FORWARD(int, bind_int64, (sqlite3_stmt *s, int i, sqlite3_int64 v), (s, i, v))
CSQLITE_FORWARD(int, bind_double, (sqlite3_stmt *s, int i, double v), (s, i, v))
CSQLITE_FORWARD(int, column_count, (sqlite3_stmt *s), (s))
CSQLITE_FORWARD(int, column_type, (sqlite3_stmt *s, int i), (s, i))
CSQLITE_FORWARD(sqlite3_int64, column_int64, (sqlite3_stmt *s, int i), (s, i))
CSQLITE_FORWARD(double, column_double, (sqlite3_stmt *s, int i), (s, i))
CSQLITE_FORWARD(const unsigned char *, column_text, (sqlite3_stmt *s, int i), (s, i))
CSQLITE_FORWARD(const void *, column_blob, (sqlite3_stmt *s, int i), (s, i))
CSQLITE_FORWARD(int, column_bytes, (sqlite3_stmt *s, int i), (s, i))
CSQLITE_FORWARD(const char *, column_name, (sqlite3_stmt *s, int i), (s, i))
CSQLITE_FORWARD(const char *, column_decltype, (sqlite3_stmt *s, int i), (s, i))

/* SQLITE_TRANSIENT is a macro Swift cannot import. */
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline int csqlite_bind_text(sqlite3_stmt *s, int i, const char *t, int n) { return sqlite_nio_sqlite3_bind_text(s, i, t, n, SQLITE_TRANSIENT); }
/* sqlite3_db_config is variadic. Closing a connection must not checkpoint: the attempt takes the
   database file's PENDING lock for an instant, and a reader without a busy timeout that opens in
   that instant gets "database is locked". Checkpoints run explicitly instead (PASSIVE, lock-free
   for readers). */
static inline int csqlite_no_checkpoint_on_close(sqlite3 *db) { return sqlite_nio_sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0); }
