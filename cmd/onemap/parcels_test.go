package main

import "testing"

// TestParcelsInChromium edits a demo parcel and its supply status in the
// web app, prints its brochure to PDF and reads it with poppler, and
// opens the brochure from a share link as a firm (frontend/e2e/
// parcels.mjs); it writes, so it has a freshly seeded database of its own.
func TestParcelsInChromium(t *testing.T) {
	inChromium(t, "parcels.mjs", "parcels")
}
