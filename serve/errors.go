package serve

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// apiError is a refusal: an HTTP status and a message for people, with
// the problems of a scenario one a line.
type apiError struct {
	status   int
	msg      string
	problems []string
	retry    time.Duration
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// writeError writes err as JSON: {"error": "...", "problems": [...]}.
func (srv *Server) writeError(w http.ResponseWriter, err error) {
	var e *apiError
	if !errors.As(err, &e) {
		srv.opt.Logf("normsim serve: %v", err)
		e = &apiError{status: http.StatusInternalServerError, msg: "internal error: " + err.Error()}
	}
	if e.retry > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int(e.retry.Seconds())+1))
	}
	body := struct {
		Error    string   `json:"error"`
		Problems []string `json:"problems,omitempty"`
	}{e.msg, e.problems}
	writeJSON(w, e.status, body)
}
