package main

import "testing"

// TestDashboardInChromium clicks the dashboard's numbers in headless
// Chromium as the demo leader (issue 15): a district's, a stage's and a
// leader's count, this year's new starts and completions and the lagging
// projects each open the map of the whole city filtered as the number
// says, with exactly that many projects in its list; screenshots go to
// frontend/test-results/dashboard.
func TestDashboardInChromium(t *testing.T) {
	inChromium(t, "dashboard.mjs", "dashboard")
}

// TestBulletinInChromium prints the monthly bulletin's page to PDF in
// headless Chromium and reads it with poppler-utils (issue 15): A4
// portrait pages with the title, the month, the totals the API gives and
// the district ranking, no controls of the app, and on the first page a
// map with the projects coloured by warning level. The PDF and its first
// page's image go to frontend/test-results/bulletin.
func TestBulletinInChromium(t *testing.T) {
	needPoppler(t)
	inChromium(t, "bulletin.mjs", "bulletin")
}
