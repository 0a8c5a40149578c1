package main

import "testing"

// TestPoolInChromium records a quarterly decision promoting a reserve
// candidate in headless Chromium, sees the project's stage change and the
// pool's progress to its 1000亿元 target, and shows a groundbreaking
// wave's projects on the map (issue 15).
func TestPoolInChromium(t *testing.T) {
	inChromium(t, "pool.mjs", "pool")
}
