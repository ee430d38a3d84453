//go:build unix

package scenarios

import (
	"os"
	"syscall"
)

// openNonblocking opens path for reading without blocking: opening a FIFO
// for reading waits for a writer, which would hang the command (and its
// signal handling) before it could refuse the file.
func openNonblocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
