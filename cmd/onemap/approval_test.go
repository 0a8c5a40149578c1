package main

import "testing"

// TestApprovalInChromium records a project's joint approval steps in
// headless Chromium and reads the working days used and left of 38, and
// opens the holiday calendar as the administrator (issue 15).
func TestApprovalInChromium(t *testing.T) {
	inChromium(t, "approval.mjs", "approval")
}
