package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strings"

	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/postgis"
)

const userUsage = `Usage:
  onemap user add --username NAME --name 显示名 --roles ROLE[,ROLE] [--district CODE] [--password-stdin]
  onemap user list
  onemap user disable USERNAME
  onemap user enable USERNAME
  onemap user passwd USERNAME [--password-stdin]

Roles: admin, leader, land, investment, district (needs --district), viewer.
Without --password-stdin a random password is made and printed once.
`

// userCommand manages accounts from the command line, so that the first
// admin can be made on a fresh install.
func userCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return flag.ErrHelp
	}
	verb := args[0]
	fs := flag.NewFlagSet("onemap user "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	cfg.dbFlags(fs)
	var username, name, roles, district string
	var fromStdin bool
	switch verb {
	case "add":
		fs.StringVar(&username, "username", "", "user name (lower-case letters, digits, . _ -)")
		fs.StringVar(&name, "name", "", "display name")
		fs.StringVar(&roles, "roles", "", "comma-separated roles")
		fs.StringVar(&district, "district", "", "district code of a district user (e.g. 411102)")
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input")
	case "passwd":
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input")
	case "list", "disable", "enable":
	default:
		fmt.Fprint(stderr, userUsage)
		return fmt.Errorf("unknown user command %q", verb)
	}
	// The positional user name may come before the flags.
	rest := args[1:]
	if verb != "add" && verb != "list" && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		username, rest = rest[0], rest[1:]
	}
	if err := cfg.parse(fs, rest); err != nil {
		return err
	}
	if verb != "add" && verb != "list" && username == "" {
		return errors.New("which user? give the user name")
	}
	m := NewMain(cfg, stderr)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	acc, err := newAccess(m.db, geo.NewRegistry())
	if err != nil {
		return err
	}
	by := cliPrincipal()
	switch verb {
	case "list":
		us, err := acc.Users(ctx)
		if err != nil {
			return err
		}
		rows := [][]string{{"ID", "USER", "NAME", "ROLES", "DISTRICT", "STATE"}}
		for _, u := range us {
			state := "active"
			if u.Disabled {
				state = "disabled"
			} else if u.DefaultPassword {
				state = "default password"
			}
			rows = append(rows, []string{fmt.Sprint(u.ID), u.Username, u.DisplayName,
				strings.Join(geo.RoleNames(u.Roles), ","), fmt.Sprint(u.DistrictID), state})
		}
		return writeTable(stdout, "", rows)
	case "add":
		nu := access.NewUser{Username: username, DisplayName: name, Roles: strings.Split(roles, ",")}
		if district != "" {
			if nu.DistrictID, err = m.db.DistrictID(ctx, district); err != nil {
				return err
			}
		}
		var generated bool
		if nu.Password, generated, err = password(fromStdin, stdin); err != nil {
			return err
		}
		u, err := acc.CreateUser(ctx, by, nu)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s (%s) added with roles %s\n", u.Username, u.DisplayName, strings.Join(geo.RoleNames(u.Roles), ","))
		if generated {
			fmt.Fprintf(stdout, "password (shown once): %s\n", nu.Password)
		}
		return nil
	case "disable", "enable":
		u, err := acc.UserByName(ctx, username)
		if err != nil {
			return err
		}
		disabled := verb == "disable"
		if _, err := acc.UpdateUser(ctx, by, u.ID, access.UserChange{Disabled: &disabled}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s %sd\n", username, verb)
		return nil
	}
	// passwd
	u, err := acc.UserByName(ctx, username)
	if err != nil {
		return err
	}
	pw, generated, err := password(fromStdin, stdin)
	if err != nil {
		return err
	}
	if err := acc.SetPassword(ctx, by, u.ID, pw); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "password of %s changed; their sessions and tokens are ended\n", username)
	if generated {
		fmt.Fprintf(stdout, "password (shown once): %s\n", pw)
	}
	return nil
}

// newAccess returns the access service over db, whose share links may
// show what the field registry reg allows.
func newAccess(db *postgis.DB, reg *geo.Registry) (*access.Service, error) {
	return access.New(access.Stores{Users: db, Failures: db, Sessions: db, Tokens: db, Shares: db, Audit: db},
		access.Settings{Registry: reg})
}

// password reads a password from stdin, or makes a random one; the
// access service checks it.
func password(fromStdin bool, stdin io.Reader) (pw string, generated bool, err error) {
	if !fromStdin {
		pw, err = access.RandomPassword()
		return pw, true, err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, err
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}

// cliPrincipal is the command line's actor in the audit log.
func cliPrincipal() geo.Principal {
	name := "cli"
	if u, err := user.Current(); err == nil {
		name = "cli:" + u.Username
	}
	host, _ := os.Hostname()
	return geo.Principal{Kind: geo.UserSession, Username: name, Roles: []geo.Role{geo.RoleAdmin}, Address: host}
}

// demoAccount is a demo user with a published password, for development.
type demoAccount struct {
	user     access.User
	district string
	password string
}

func demoAccounts() []demoAccount {
	acct := func(username, name string, role geo.Role, district string) demoAccount {
		return demoAccount{access.User{Username: username, DisplayName: name, Roles: []geo.Role{role}, DefaultPassword: true},
			district, "luohe-" + username + "-2026"}
	}
	return []demoAccount{
		acct("admin", "系统管理员", geo.RoleAdmin, ""),
		acct("leader", "市领导（演示）", geo.RoleLeader, ""),
		acct("land", "自然资源和规划局（演示）", geo.RoleLand, ""),
		acct("invest", "市投资促进局（演示）", geo.RoleInvestment, ""),
		acct("yuanhui", "源汇区（演示）", geo.RoleDistrict, "411102"),
		acct("viewer", "浏览用户（演示）", geo.RoleViewer, ""),
	}
}

// seedAccounts adds the demo accounts through acc; db finds their
// districts.
func seedAccounts(ctx context.Context, acc *access.Service, db *postgis.DB) error {
	for _, a := range demoAccounts() {
		u := a.user
		nu := access.NewUser{Username: u.Username, DisplayName: u.DisplayName, Password: a.password,
			Roles: geo.RoleNames(u.Roles), DefaultPassword: u.DefaultPassword}
		if a.district != "" {
			id, err := db.DistrictID(ctx, a.district)
			if err != nil {
				return err
			}
			nu.DistrictID = id
		}
		if _, err := acc.CreateUser(ctx, geo.Principal{Username: "onemap seed"}, nu); err != nil {
			return fmt.Errorf("demo account %s: %w", u.Username, err)
		}
	}
	return nil
}

// printDemoAccounts prints the demo accounts that still have their
// published password.
func printDemoAccounts(ctx context.Context, acc *access.Service, out io.Writer) error {
	names, err := acc.DefaultPasswordUsers(ctx)
	if err != nil || len(names) == 0 {
		return err
	}
	var rows [][]string
	for _, a := range demoAccounts() {
		if slices.Contains(names, a.user.Username) {
			rows = append(rows, []string{a.user.Username, a.user.DisplayName, "password: " + a.password})
		}
	}
	fmt.Fprintln(out, "Demo accounts (development only; change or disable them before production):")
	return writeTable(out, "  ", rows)
}
