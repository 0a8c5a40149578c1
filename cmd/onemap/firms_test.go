package main

import "testing"

// TestFirmsInChromium moves a target firm through the pipeline 接洽 →
// 洽谈 → 签约 in headless Chromium, reads its dated history and finds its
// headquarters on the national view over the offline base map (issue 17).
func TestFirmsInChromium(t *testing.T) {
	inChromium(t, "firms.mjs", "firms")
}
