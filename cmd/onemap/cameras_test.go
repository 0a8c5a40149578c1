package main

import "testing"

// TestCamerasInChromium adds a camera to a site under construction in
// headless Chromium, posts a snapshot with an API token as a camera
// system, sees it in the project's panel and the site covered in the list
// and on the map, and moves the district ranking by the assessment's
// weights (issue 15).
func TestCamerasInChromium(t *testing.T) {
	inChromium(t, "cameras.mjs", "cameras")
}
