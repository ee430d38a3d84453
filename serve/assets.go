package serve

import (
	"embed"
	"net/http"
	"path"
)

// The page: one HTML file, one script, one style sheet, all embedded.
//
//go:embed assets
var assets embed.FS

var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
}

func (srv *Server) index(w http.ResponseWriter, r *http.Request) {
	data, err := assets.ReadFile("assets/index.html")
	if err != nil {
		srv.writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(data)
}

func (srv *Server) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	ct, ok := contentTypes[path.Ext(name)]
	data, err := assets.ReadFile("assets/" + name)
	if !ok || err != nil {
		srv.writeError(w, &apiError{status: http.StatusNotFound, msg: "/static/" + name + ": no such file"})
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(data)
}
