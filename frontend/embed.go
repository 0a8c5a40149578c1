// Package frontend embeds the web map into the onemap binary: the Vite
// build output (dist, made by `npm run build` in this folder) and the
// MapLibre style template style.json, whose literal {origin} the server
// replaces with its public URL (--public-url, or else the scheme and host
// of the request) before serving it as /style.json.
//
// On a fresh clone dist holds only .gitkeep, so the package compiles before
// the web app is built; Dist then has no index.html.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

//go:embed style.json
var style []byte

// Dist returns the built web app, rooted at dist (index.html, assets/…).
// Before `npm run build` it holds only .gitkeep; that is no error, so the
// server starts (and answers 404 for the page) on a fresh clone.
func Dist() (fs.FS, error) {
	return fs.Sub(dist, "dist")
}

// Style returns a copy of the style template; its {origin} placeholders
// are for the server to replace.
func Style() []byte { return append([]byte(nil), style...) }
