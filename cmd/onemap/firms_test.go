package main

import "testing"

// TestFirmsInChromium enters a target firm with a park picked by name,
// moves it through the pipeline 接洽 → 洽谈 → 签约 in headless Chromium,
// reads its dated history, finds its headquarters on the national view
// over the offline base map, and opens a demo firm by clicking its
// headquarters (issue 17).
func TestFirmsInChromium(t *testing.T) {
	inChromium(t, "firms.mjs", "firms")
}
