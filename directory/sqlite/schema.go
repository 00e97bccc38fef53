package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
)

// HasSchema reports whether path is a database that Open migrated before:
// false when the file does not exist or has no Colmena tables. It creates
// and changes nothing, so that a mistyped path is not turned into a new,
// empty database.
func HasSchema(ctx context.Context, path string) (bool, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlite: %w", err)
	}
	if info.IsDir() {
		return false, fmt.Errorf("sqlite: %s is a directory", path)
	}
	v := url.Values{}
	v.Set("mode", "ro")
	v.Add("_pragma", "query_only(1)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+v.Encode())
	if err != nil {
		return false, fmt.Errorf("sqlite: %w", err)
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("sqlite: cannot read %s: %w", path, err)
	}
	return n > 0, nil
}
