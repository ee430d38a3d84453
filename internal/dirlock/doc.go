// Package dirlock takes an exclusive lock on a directory ([Lock], on the
// file [File]), so that two normsim processes never write one output
// directory at once: a sweep, a merge and a run each hold it while they
// write, and a second one gets [ErrBusy].
package dirlock

import "errors"

// File is the name of the lock file that Lock creates in a directory.
const File = ".lock"

// ErrBusy is returned (wrapped) when another process holds the lock.
var ErrBusy = errors.New("in use by another normsim process")
