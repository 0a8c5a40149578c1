package main

import "testing"

// TestApprovalInChromium records a project's joint approval steps in
// headless Chromium and reads the working days used and left of 38, and
// opens the holiday calendar as the administrator (issue 15).
func TestApprovalInChromium(t *testing.T) {
	t.Parallel()
	base := serve(t, Config{DatabaseURL: demoURL(t), CacheMB: 64, CityName: "漯河市", CityNameEN: "Luohe"})
	browser(t, "approval.mjs", base, "approval")
}
