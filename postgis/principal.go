package postgis

import (
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
)

// queuePrincipal queues the settings that tell the database whose
// transaction this is (see migrations/0003_access.sql): the roles and
// district that row-level security checks, and the actor and address the
// audit log records.
func queuePrincipal(b *pgx.Batch, p geo.Principal, address string) {
	roles := strings.Join(geo.RoleNames(p.Roles), ",")
	if p.Share != nil {
		roles = string(geo.RoleViewer)
	}
	district := ""
	if p.DistrictID > 0 {
		district = strconv.Itoa(p.DistrictID)
	}
	actor := p.Username
	if p.Share != nil {
		actor = "share:" + strconv.Itoa(p.Share.LinkID)
	}
	b.Queue(`SELECT set_config('onemap.roles', $1, true), set_config('onemap.district', $2, true),
		set_config('onemap.actor', $3, true), set_config('onemap.address', $4, true)`, roles, district, actor, address)
}
