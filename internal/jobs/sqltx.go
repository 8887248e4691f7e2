package jobs

import "database/sql"

// sqlTx is the transaction type of the SQLite driver.
type sqlTx = *sql.Tx
