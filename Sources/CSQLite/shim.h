#include <sqlite3.h>
/* SQLITE_TRANSIENT is a macro Swift cannot import. */
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline int csqlite_bind_text(sqlite3_stmt *s, int i, const char *t, int n) { return sqlite3_bind_text(s, i, t, n, SQLITE_TRANSIENT); }
/* sqlite3_db_config is variadic. Closing a connection must not checkpoint: the attempt takes the
   database file's PENDING lock for an instant, and a reader without a busy timeout that opens in
   that instant gets "database is locked". Checkpoints run explicitly instead (PASSIVE, lock-free
   for readers). */
static inline int csqlite_no_checkpoint_on_close(sqlite3 *db) { return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0); }
