package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode"
)

// Config is onemap's configuration: flags, each of which an environment
// variable can set when the flag is not given; checked at start.
type Config struct {
	Addr             string
	Data             string
	DatabaseURL      string
	PGBin            string
	CacheMB          int
	Production       bool
	MaxConns         int
	StatementTimeout time.Duration
	LogLevel         slog.Level
	TrustedProxies   addressList
	CityName         string
	CityNameEN       string
	PublicURL        string
}

// envOf names the environment variable of each flag.
func envOf(flag string) string {
	switch flag {
	case "database-url":
		return "DATABASE_URL"
	}
	b := []byte("ONEMAP_" + flag)
	for i, c := range b {
		switch {
		case c == '-':
			b[i] = '_'
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// dbFlags registers the flags of every subcommand that opens the database.
func (c *Config) dbFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Data, "data", ".data", "data folder of the embedded database")
	fs.StringVar(&c.DatabaseURL, "database-url", "", "PostgreSQL URL of an existing PostGIS 3 database; empty: the embedded database")
	fs.StringVar(&c.PGBin, "pg-bin", "", "folder of the PostgreSQL binaries for the embedded database; empty: found on the machine")
	fs.IntVar(&c.MaxConns, "db-max-conns", 16, "database connection pool size")
	fs.DurationVar(&c.StatementTimeout, "statement-timeout", 15*time.Second, "PostgreSQL statement_timeout of every query")
	c.LogLevel = slog.LevelInfo
	fs.TextVar(&c.LogLevel, "log-level", slog.LevelInfo, "log level: debug, info, warn, error")
}

// serveFlags registers the flags of the HTTP server.
func (c *Config) serveFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", ":8080", "HTTP listen address")
	fs.IntVar(&c.CacheMB, "cache-mb", 256, "tile cache budget in MiB; 0 turns the cache off")
	fs.BoolVar(&c.Production, "production", false, "production: refuse to start while an account has a published default password")
	fs.StringVar(&c.CityName, "city-name", "漯河市", "the city's name, shown in the web app (its extent comes from its districts)")
	fs.StringVar(&c.CityNameEN, "city-name-en", "Luohe", "the city's name in English")
	fs.StringVar(&c.PublicURL, "public-url", "", "the address clients reach onemap at, e.g. https://map.example.gov.cn: the map style, TileJSON and share links point there; empty: at the Host each request names")
	fs.Var(&c.TrustedProxies, "trusted-proxies", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client; empty: the connection's address is the client's")
}

// addressList is a flag of comma-separated IP addresses and CIDR ranges.
type addressList []netip.Prefix

func (l *addressList) String() string {
	parts := make([]string, len(*l))
	for i, p := range *l {
		parts[i] = p.String()
	}
	return strings.Join(parts, ",")
}

func (l *addressList) Set(v string) error {
	*l = nil
	for part := range strings.SplitSeq(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			a, aerr := netip.ParseAddr(part)
			if aerr != nil {
				return fmt.Errorf("%q is neither an IP address nor a CIDR range", part)
			}
			a = a.Unmap()
			p = netip.PrefixFrom(a, a.BitLen())
		}
		*l = append(*l, p.Masked())
	}
	return nil
}

// parse parses args, then sets every flag not given from its environment
// variable, and checks the result.
func (c *Config) parse(fs *flag.FlagSet, args []string) error {
	fs.VisitAll(func(f *flag.Flag) { f.Usage += " (env " + envOf(f.Name) + ")" })
	if err := fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		v, ok := os.LookupEnv(envOf(f.Name))
		if given[f.Name] || !ok || err != nil {
			return
		}
		if e := fs.Set(f.Name, v); e != nil {
			err = fmt.Errorf("%s=%q: %w", envOf(f.Name), v, e)
		}
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c.check()
}

func (c *Config) check() error {
	switch {
	case c.DatabaseURL == "" && c.Data == "":
		return fmt.Errorf("either --data or --database-url is needed")
	case c.CacheMB < 0:
		return fmt.Errorf("--cache-mb must be ≥ 0")
	case c.MaxConns < 2 || c.MaxConns > 1000:
		return fmt.Errorf("--db-max-conns must be between 2 and 1000")
	case c.StatementTimeout < 100*time.Millisecond:
		return fmt.Errorf("--statement-timeout must be at least 100ms")
	}
	if c.PublicURL != "" {
		u, err := publicURL(c.PublicURL)
		if err != nil {
			return err
		}
		c.PublicURL = u
	}
	return nil
}

// publicURL checks a --public-url and returns it as scheme://host[:port]:
// http or https, a host, nothing else (onemap serves from the root of its
// address; a trailing slash is dropped).
func publicURL(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil {
		return "", fmt.Errorf("--public-url: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("--public-url %q: must start with http:// or https://", v)
	case !hostName(u.Hostname()):
		return "", fmt.Errorf("--public-url %q: names no host", v)
	case u.User != nil || u.Opaque != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || (u.Path != "" && u.Path != "/"):
		return "", fmt.Errorf("--public-url %q: must be scheme://host[:port] only, since onemap serves from the root of its address", v)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// hostName reports whether h is an IP address or a domain name: letters,
// digits, hyphens, underscores and dots.
func hostName(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	for _, r := range h {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '.' && r != '_' {
			return false
		}
	}
	return h != ""
}

func (c *Config) logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: c.LogLevel}))
}
