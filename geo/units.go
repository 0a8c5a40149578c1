package geo

// SquareMetresPerMu is the area of one 亩: 10000/15 m².
const SquareMetresPerMu = 10000.0 / 15.0

// Area is an area in square metres, computed on the ellipsoid or in a
// Gauss-Krüger projection, never in Web Mercator.
type Area float64

// SquareMetres returns the area in m².
func (a Area) SquareMetres() float64 { return float64(a) }

// Mu returns the area in 亩.
func (a Area) Mu() float64 { return float64(a) / SquareMetresPerMu }

// Hectares returns the area in 公顷.
func (a Area) Hectares() float64 { return float64(a) / 10000 }
