package rules

// This file reads [channel.NAME] tables. Each type has its own keys, and a
// key of another type is an unknown key. Secret values (tokens, passwords,
// webhook URLs, headers) are read into Secret and never quoted in errors.

import (
	"net/mail"
	"strconv"
	"strings"
)

var channelKeys = map[string][]string{
	ChannelSlack:   {"type", "mode", "token", "channel", "webhook_url", "api_url"},
	ChannelEmail:   {"type", "smtp", "username", "password", "from", "to", "tls"},
	ChannelWebhook: {"type", "url", "headers"},
	ChannelConsole: {"type"},
}

func (d *decoder) channel(name string, t *table) *Channel {
	ch := &Channel{Name: name}
	typ, ok := d.str(t, "type")
	if !ok {
		if _, present := t.m["type"]; !present {
			d.errorf(t.path, "missing type (one of slack, email, webhook, console)")
		}
		return nil
	}
	if channelKeys[typ] == nil {
		d.errorf(t.field("type"), "must be one of slack, email, webhook, console (got %q)", typ)
		return nil
	}
	ch.Type = typ
	n := len(d.errs)
	switch typ {
	case ChannelSlack:
		ch.Slack = d.slack(t)
	case ChannelEmail:
		ch.Email = d.email(t)
	case ChannelWebhook:
		ch.Webhook = d.webhook(t)
	}
	d.unknownKeys(t, "a "+typ+" channel")
	if len(d.errs) > n {
		return nil
	}
	return ch
}

func (d *decoder) secretField(t *table, key string) (Secret, bool) {
	s, ok := d.str(t, key)
	if ok && s == "" {
		d.errorf(t.field(key), "is empty")
		return "", false
	}
	return Secret(s), ok
}

func (d *decoder) slack(t *table) *Slack {
	s := &Slack{}
	token, _ := d.secretField(t, "token")
	channel, hasChannel := d.str(t, "channel")
	hook, hasHook := d.secretField(t, "webhook_url")
	api, hasAPI := d.str(t, "api_url")
	mode, hasMode := d.str(t, "mode")
	_, tokenKey := t.m["token"]
	_, hookKey := t.m["webhook_url"]
	switch {
	case hasMode:
		if mode != "bot" && mode != "webhook" {
			d.errorf(t.field("mode"), "must be \"bot\" or \"webhook\" (got %q)", mode)
			return nil
		}
	case hookKey && !tokenKey:
		mode = "webhook"
	default:
		mode = "bot"
	}
	s.Mode = mode
	if mode == "bot" {
		if !tokenKey {
			d.errorf(t.path, "missing token (a Slack bot token, usually token = \"${SLACK_BOT_TOKEN}\")")
		}
		if !hasChannel {
			if _, present := t.m["channel"]; !present {
				d.errorf(t.path, "missing channel (a channel ID such as \"C0123ABCD\")")
			}
		} else if channel == "" {
			d.errorf(t.field("channel"), "is empty")
		}
		if hookKey {
			d.errorf(t.field("webhook_url"), "is used only with mode \"webhook\"")
		}
	} else {
		if !hookKey {
			d.errorf(t.path, "missing webhook_url (mode \"webhook\" posts to a Slack incoming webhook)")
		} else if hasHook && !validHTTPURL(string(hook)) {
			d.errorf(t.field("webhook_url"), "want an https URL (the value is not shown: it is a secret)")
		}
		if tokenKey {
			d.errorf(t.field("token"), "is used only with mode \"bot\"")
		}
		if _, present := t.m["channel"]; present {
			d.errorf(t.field("channel"), "is used only with mode \"bot\" (an incoming webhook posts to its own channel)")
		}
	}
	if hasAPI && !validHTTPURL(api) {
		d.errorf(t.field("api_url"), "want an http or https URL")
	}
	s.Token, s.Channel, s.WebhookURL, s.APIURL = token, channel, hook, api
	return s
}

func (d *decoder) email(t *table) *Email {
	e := &Email{TLS: "starttls"}
	if s, ok := d.str(t, "smtp"); ok {
		if !validHostPort(s) {
			d.errorf(t.field("smtp"), "want host:port such as \"smtp.example.com:587\" (got %q)", s)
		}
		e.SMTP = s
	} else if _, present := t.m["smtp"]; !present {
		d.errorf(t.path, "missing smtp (the server as host:port)")
	}
	if s, ok := d.str(t, "username"); ok {
		e.Username = s
	}
	if p, ok := d.secretField(t, "password"); ok {
		e.Password = p
		if _, present := t.m["username"]; !present {
			d.errorf(t.field("password"), "needs a username too")
		}
	}
	if s, ok := d.str(t, "from"); ok {
		if _, err := mail.ParseAddress(s); err != nil {
			d.errorf(t.field("from"), "want an address such as \"tattle <alerts@example.com>\" (got %q)", s)
		}
		e.From = s
	} else if _, present := t.m["from"]; !present {
		d.errorf(t.path, "missing from (the sender address)")
	}
	if to, ok := d.strs(t, "to"); ok {
		for i, a := range to {
			if _, err := mail.ParseAddress(a); err != nil {
				d.errorf(t.field("to")+"["+strconv.Itoa(i)+"]", "want an address such as \"oncall@example.com\" (got %q)", a)
			}
		}
		if len(to) == 0 {
			d.errorf(t.field("to"), "must list at least one address")
		}
		e.To = to
	} else if _, present := t.m["to"]; !present {
		d.errorf(t.path, "missing to (the recipients)")
	}
	if s, ok := d.str(t, "tls"); ok {
		switch s {
		case "starttls", "tls", "none":
			e.TLS = s
		default:
			d.errorf(t.field("tls"), "must be \"starttls\", \"tls\" or \"none\" (got %q)", s)
		}
	}
	return e
}

func (d *decoder) webhook(t *table) *Webhook {
	w := &Webhook{}
	if u, ok := d.secretField(t, "url"); ok {
		if !validHTTPURL(string(u)) {
			d.errorf(t.field("url"), "want an http or https URL (the value is not shown: it may hold credentials)")
		}
		w.URL = u
	} else if _, present := t.m["url"]; !present {
		d.errorf(t.path, "missing url")
	}
	if _, present := t.m["headers"]; present {
		if hm, ok := d.strMap(t, "headers"); ok {
			w.Headers = make(map[string]Secret, len(hm))
			for _, k := range sortedKeys(hm) {
				if !validHeaderName(k) {
					d.add((&table{path: t.field("headers")}).field(k), true, "not a valid HTTP header name", nil)
				}
				w.Headers[k] = Secret(hm[k])
			}
		}
	} else {
		d.get(t, "headers")
	}
	return w
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}
