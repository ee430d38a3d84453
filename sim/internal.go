package sim

import (
	"fmt"
	"runtime/debug"
)

// InternalError is a panic recovered while running a replicate: a bug in
// normsim, not a problem with the configuration. Run and RunReplicate
// return it instead of crashing the process, so that a command can tell it
// from invalid input.
type InternalError struct {
	Value any    // what was passed to panic
	Stack []byte // the stack of the goroutine that panicked
}

func (e *InternalError) Error() string { return fmt.Sprintf("internal error: %v", e.Value) }

// Recovered turns the value of recover() into an *InternalError with the
// current stack, or returns nil for nil. Call it in a deferred function.
func Recovered(v any) error {
	if v == nil {
		return nil
	}
	if ie, ok := v.(*InternalError); ok {
		return ie
	}
	return &InternalError{Value: v, Stack: debug.Stack()}
}
