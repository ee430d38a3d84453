//go:build !unix

package scenarios

import "os"

// openNonblocking opens path for reading; only Unix has FIFOs that block.
func openNonblocking(path string) (*os.File, error) { return os.Open(path) }
