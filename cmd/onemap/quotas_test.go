package main

import "testing"

// TestQuotasInChromium has the land bureau set a district's construction-
// land quota in the quota ledger in headless Chromium and read the table,
// and a district user save a site that takes the district over the quota
// and see the warning (issue 16); screenshots go to
// frontend/test-results/quotas.
func TestQuotasInChromium(t *testing.T) {
	inChromium(t, "quotas.mjs", "quotas")
}
