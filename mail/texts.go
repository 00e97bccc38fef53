package mail

import (
	"bytes"
	"html/template"
	"strings"
	texttemplate "text/template"
)

// text is one mail's words in one language. Paragraphs are Go templates
// over the mail's data; Button is the link's label in HTML.
type text struct {
	Subject    string
	Paragraphs []string // before the link
	Button     string
	After      []string // after the link
}

// kinds of mail.
const (
	kindInvitation   = "invitation"
	kindReset        = "reset"
	kindEmailChanged = "email_changed"
	kindAlertConfirm = "alert_confirm"
	kindAlertJob     = "alert_job"
	kindAlertDigest  = "alert_digest"
	// kindAlertFooter is the unsubscribe note every alert ends with.
	kindAlertFooter = "alert_footer"
)

// texts holds every mail in English and Spanish.
var texts = map[string]map[string]text{
	"en": {
		kindInvitation: {
			Subject:    "Your invitation to {{.Node}}",
			Paragraphs: []string{"Hello,", "You have an account on {{.Node}}, a directory of tech worker co-operatives, as {{.Email}}. Choose your password to sign in:"},
			Button:     "Choose my password",
			After:      []string{"This link works once, for 7 days. If you did not expect this invitation, ignore this mail."},
		},
		kindReset: {
			Subject:    "Reset your password on {{.Node}}",
			Paragraphs: []string{"Hello,", "Someone asked to reset the password of the account {{.Email}} on {{.Node}}. Choose a new password here:"},
			Button:     "Choose a new password",
			After:      []string{"This link works once, for one hour. If you did not ask for it, ignore this mail: your password stays as it is."},
		},
		kindEmailChanged: {
			Subject:    "Your e-mail address on {{.Node}} changed",
			Paragraphs: []string{"Hello,", "The account on {{.Node}} that used {{.Old}} now uses {{.Email}}. Mails for it go to the new address from now on."},
			After:      []string{"If you did not make this change, tell the node's admin at once."},
		},
		kindAlertConfirm: {
			Subject:    "Confirm your job alert on {{.Node}}",
			Paragraphs: []string{"Hello,", "Someone, we hope you, asked {{.Node}} to mail {{.Email}} the new jobs of the search \u201c{{.Search}}\u201d, {{.Frequency}}. Nothing is sent until you confirm:"},
			Button:     "Confirm my alert",
			After:      []string{"This link works once, for 7 days. If you did not ask for it, ignore this mail: nothing will be sent."},
		},
		kindAlertJob: {
			Subject:    "New job: {{.Title}}",
			Paragraphs: []string{"A new job matches your search \u201c{{.Search}}\u201d on {{.Node}}:"},
			Button:     "See every job of the search",
		},
		kindAlertDigest: {
			Subject:    "New jobs for \u201c{{.Search}}\u201d: {{.Count}}",
			Paragraphs: []string{"These jobs newly match your search \u201c{{.Search}}\u201d on {{.Node}}:"},
			Button:     "See every job of the search",
		},
		kindAlertFooter: {
			Subject: "Unsubscribe",
			After:   []string{"You get this mail because {{.Email}} follows this search. To stop, unsubscribe:"},
		},
	},
	"es": {
		kindInvitation: {
			Subject:    "Tu invitación a {{.Node}}",
			Paragraphs: []string{"Hola:", "Tienes una cuenta en {{.Node}}, un directorio de cooperativas de trabajo tecnológicas, como {{.Email}}. Elige tu contraseña para entrar:"},
			Button:     "Elegir mi contraseña",
			After:      []string{"Este enlace funciona una vez, durante 7 días. Si no esperabas esta invitación, ignora este correo."},
		},
		kindReset: {
			Subject:    "Restablece tu contraseña en {{.Node}}",
			Paragraphs: []string{"Hola:", "Alguien pidió restablecer la contraseña de la cuenta {{.Email}} en {{.Node}}. Elige una contraseña nueva aquí:"},
			Button:     "Elegir una contraseña nueva",
			After:      []string{"Este enlace funciona una vez, durante una hora. Si no lo pediste, ignora este correo: tu contraseña no cambia."},
		},
		kindEmailChanged: {
			Subject:    "Cambió tu dirección de correo en {{.Node}}",
			Paragraphs: []string{"Hola:", "La cuenta de {{.Node}} que usaba {{.Old}} ahora usa {{.Email}}. Desde ahora, sus correos van a la dirección nueva."},
			After:      []string{"Si no hiciste este cambio, avisa de inmediato a quien administra el nodo."},
		},
		kindAlertConfirm: {
			Subject:    "Confirma tu alerta de empleos en {{.Node}}",
			Paragraphs: []string{"Hola:", "Alguien, esperamos que tú, pidió a {{.Node}} enviar a {{.Email}} los empleos nuevos de la búsqueda \u201c{{.Search}}\u201d, {{.Frequency}}. No se envía nada hasta que confirmes:"},
			Button:     "Confirmar mi alerta",
			After:      []string{"Este enlace funciona una vez, durante 7 días. Si no lo pediste, ignora este correo: no se enviará nada."},
		},
		kindAlertJob: {
			Subject:    "Empleo nuevo: {{.Title}}",
			Paragraphs: []string{"Un empleo nuevo coincide con tu búsqueda \u201c{{.Search}}\u201d en {{.Node}}:"},
			Button:     "Ver todos los empleos de la búsqueda",
		},
		kindAlertDigest: {
			Subject:    "Empleos nuevos para \u201c{{.Search}}\u201d: {{.Count}}",
			Paragraphs: []string{"Estos empleos coinciden desde ahora con tu búsqueda \u201c{{.Search}}\u201d en {{.Node}}:"},
			Button:     "Ver todos los empleos de la búsqueda",
		},
		kindAlertFooter: {
			Subject: "Darse de baja",
			After:   []string{"Recibes este correo porque {{.Email}} sigue esta búsqueda. Para dejar de recibirlo, date de baja:"},
		},
	},
}

// mailData is what a mail's texts may name.
type mailData struct {
	Node, Email, Old, Link string
	// Alerts: the search's name, how often, the job of an instant
	// alert, how many in a digest, the jobs, the unsubscribe link.
	Search, Frequency, Title string
	Count                    int
	Jobs                     []mailJob
	Unsubscribe              string
}

// mailJob is a job as an alert lists it.
type mailJob struct {
	Title, Coop, Pay, URL string
}

// frequencies says how often an alert goes, in each language.
var frequencies = map[string]map[string]string{
	"en": {"instant": "one mail for each new job", "daily": "in a daily digest", "weekly": "in a weekly digest"},
	"es": {"instant": "un correo por cada empleo nuevo", "daily": "en un resumen diario", "weekly": "en un resumen semanal"},
}

// periods names a pay period, in each language.
var periods = map[string]map[string]string{
	"en": {"hour": "an hour", "month": "a month", "year": "a year"},
	"es": {"hour": "por hora", "month": "al mes", "year": "al año"},
}

// htmlLayout is every mail's HTML; the texts are escaped into it.
var htmlLayout = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 36em">
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{if .Jobs}}<ul>
{{range .Jobs}}<li><a href="{{.URL}}">{{.Title}}</a>, {{.Coop}}{{if .Pay}}, {{.Pay}}{{end}}</li>
{{end}}</ul>
{{end}}{{if .Link}}<p><a href="{{.Link}}" style="display: inline-block; padding: .5em 1em; background: #2d5a27; color: #fff; text-decoration: none; border-radius: 4px">{{.Button}}</a></p>
<p style="font-size: small">{{.Link}}</p>
{{end}}{{range .After}}<p>{{.}}</p>
{{end}}{{if .Unsubscribe}}<hr><p style="font-size: small">{{.Footer}} <a href="{{.Unsubscribe}}">{{.UnsubscribeLabel}}</a></p>
{{end}}</body></html>
`))

// written is a mail ready for the outbox.
type written struct{ Subject, Text, HTML string }

// write renders a kind of mail in lang (English when there is no text in
// it).
func write(kind, lang string, d mailData) (written, error) {
	byKind, ok := texts[lang]
	if !ok {
		lang, byKind = "en", texts["en"]
	}
	t := byKind[kind]
	fill := func(s string) (string, error) {
		tpl, err := texttemplate.New("").Parse(s)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		err = tpl.Execute(&b, d)
		return b.String(), err
	}
	fillAll := func(in []string) ([]string, error) {
		out := make([]string, len(in))
		for i, s := range in {
			var err error
			if out[i], err = fill(s); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	subject, err := fill(t.Subject)
	if err != nil {
		return written{}, err
	}
	before, err := fillAll(t.Paragraphs)
	if err != nil {
		return written{}, err
	}
	after, err := fillAll(t.After)
	if err != nil {
		return written{}, err
	}
	var footer, unsubLabel string
	if d.Unsubscribe != "" {
		f := byKind[kindAlertFooter]
		if footer, err = fill(f.After[0]); err != nil {
			return written{}, err
		}
		unsubLabel = f.Subject
	}
	var plain strings.Builder
	for _, p := range before {
		plain.WriteString(p + "\n\n")
	}
	for _, j := range d.Jobs {
		plain.WriteString("- " + j.Title + ", " + j.Coop)
		if j.Pay != "" {
			plain.WriteString(", " + j.Pay)
		}
		plain.WriteString("\n  " + j.URL + "\n")
	}
	if len(d.Jobs) > 0 {
		plain.WriteString("\n")
	}
	if d.Link != "" {
		plain.WriteString(d.Link + "\n\n")
	}
	for _, p := range after {
		plain.WriteString(p + "\n\n")
	}
	if d.Unsubscribe != "" {
		plain.WriteString("-- \n" + footer + "\n" + d.Unsubscribe + "\n")
	}
	var h bytes.Buffer
	err = htmlLayout.Execute(&h, struct {
		Lang, Subject, Link, Button           string
		Paragraphs, After                     []string
		Jobs                                  []mailJob
		Unsubscribe, Footer, UnsubscribeLabel string
	}{lang, subject, d.Link, t.Button, before, after, d.Jobs, d.Unsubscribe, footer, unsubLabel})
	if err != nil {
		return written{}, err
	}
	return written{Subject: subject, Text: strings.TrimRight(plain.String(), "\n") + "\n", HTML: h.String()}, nil
}
