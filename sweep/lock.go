package sweep

import (
	"errors"
	"fmt"

	"github.com/normsim/normsim/internal/dirlock"
)

// lockDir takes the lock of dir (see package dirlock), so that two
// processes never write one sweep directory at once.
func lockDir(dir string) (unlock func(), err error) {
	unlock, err = dirlock.Lock(dir)
	if errors.Is(err, dirlock.ErrBusy) {
		return nil, fmt.Errorf("sweep: %s is in use by another sweep, merge or run", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	return unlock, nil
}
