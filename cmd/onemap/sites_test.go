package main

import "testing"

// TestSitesInChromium runs a site search with several criteria in
// headless Chromium, reads the top result's explanation, makes a share
// link of the results and opens it as a firm (issue 17).
func TestSitesInChromium(t *testing.T) {
	inChromium(t, "sites.mjs", "sites")
}
