package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/users"
)

func runUser(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(env.Stderr, `Usage: kiosque user <create|list|reset-password> [flags]

  create          create a staff account (--email, --name, --role, [--password-stdin])
  list            list staff accounts
  reset-password  set a new password (--email, [--password-stdin])

Without --password-stdin a strong password is generated and printed once.
`)
		if len(args) == 0 {
			return fmt.Errorf("%w: want a subcommand: create, list or reset-password", errUsage)
		}
		return nil
	}
	switch args[0] {
	case "create":
		return userCreate(ctx, env, args[1:])
	case "list":
		return userList(ctx, env, args[1:])
	case "reset-password":
		return userResetPassword(ctx, env, args[1:])
	}
	return fmt.Errorf("%w: unknown subcommand %q (want create, list or reset-password)", errUsage, args[0])
}

func userCreate(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "user create", "user create --email E --name N --role ROLE [--password-stdin]",
		"Creates a staff account. Roles: admin, editor, author, contributor.")
	email := fs.String("email", "", "login email (required)")
	name := fs.String("name", "", "name shown on articles (required)")
	role := fs.String("role", "author", "admin, editor, author or contributor")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	cfg, err := parse(fs, env, args, "db")
	if err != nil {
		return err
	}
	if *email == "" || *name == "" {
		return fmt.Errorf("%w: --email and --name are required", errUsage)
	}
	password, generated, err := readPassword(env, *stdin)
	if err != nil {
		return err
	}
	return withApp(ctx, env, cfg, func(a *app.App) error {
		r := users.Role(strings.ToLower(strings.TrimSpace(*role)))
		u, err := a.Users.Create(ctx, users.NewUser{Email: *email, Name: *name, Role: r, Password: password})
		if err != nil {
			return userError(a, err)
		}
		fmt.Fprintf(env.Stdout, "created %s <%s>, role %s\n", u.Name, u.Email, u.Role)
		showPassword(env, password, generated)
		return nil
	})
}

func userList(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "user list", "user list", "Lists staff accounts.")
	cfg, err := parse(fs, env, args, "db")
	if err != nil {
		return err
	}
	return withApp(ctx, env, cfg, func(a *app.App) error {
		list, err := a.Users.Accounts(ctx, users.System)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATUS\t2FA\tCREATED\tLAST LOGIN")
		for _, u := range list {
			status := "active"
			switch {
			case u.Disabled:
				status = "disabled"
			case u.Invited():
				status = "invited"
			}
			totp, last := "off", "never"
			if u.TOTPEnabled {
				totp = "on"
			}
			if !u.LastLogin.IsZero() {
				last = u.LastLogin.UTC().Format("2006-01-02 15:04 UTC")
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, status, totp,
				u.CreatedAt.Format("2006-01-02"), last)
		}
		return tw.Flush()
	})
}

func userResetPassword(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "user reset-password", "user reset-password --email E [--password-stdin]",
		"Sets a new password for an account, signs out all its sessions and lifts a lock left by failed logins.")
	email := fs.String("email", "", "login email (required)")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	cfg, err := parse(fs, env, args, "db")
	if err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("%w: --email is required", errUsage)
	}
	password, generated, err := readPassword(env, *stdin)
	if err != nil {
		return err
	}
	return withApp(ctx, env, cfg, func(a *app.App) error {
		if err := a.Users.SetPassword(ctx, *email, password); err != nil {
			return userError(a, err)
		}
		fmt.Fprintf(env.Stdout, "password of %s changed\n", *email)
		showPassword(env, password, generated)
		return nil
	})
}

// showPassword prints a generated password, once.
func showPassword(env Env, password string, generated bool) {
	if generated {
		fmt.Fprintf(env.Stdout, "password: %s  (shown once)\n", password)
	}
}

// readPassword reads one line from stdin, or generates a password.
func readPassword(env Env, fromStdin bool) (password string, generated bool, err error) {
	if !fromStdin {
		p, err := users.GeneratePassword()
		return p, true, err
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", false, errors.New("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}

// userError turns a domain error into the English sentence of its
// catalogue message (the command line speaks English).
func userError(a *app.App, err error) error {
	return fmt.Errorf("%s", describeApp(a, err))
}
