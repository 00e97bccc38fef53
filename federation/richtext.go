package federation

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Remote job descriptions are kept as Markdown, as local ones are, and
// pages render both the same way (goldmark, then the bluemonday
// allow-list of markdown.HTML). A Colmena node sends the Markdown as the
// Note's source (mediaType text/markdown); from other HTML, htmlToMarkdown
// keeps what the allow-list keeps (paragraphs, line breaks, lists,
// emphasis, code, quotes and http, https and mailto links) and drops every
// other element, keeping its text.

// maxMarkdownTokens bounds the tokens read of one remote description.
const maxMarkdownTokens = 100000

// htmlToMarkdown turns remote HTML into Markdown of the allow-listed
// elements.
func htmlToMarkdown(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	type list struct {
		ordered bool
		n       int
	}
	var lists []list
	var links []string // hrefs of open links, "" for one dropped
	pre, skip := 0, 0
	block := func() {
		t := b.String()
		if t != "" && !strings.HasSuffix(t, "\n\n") {
			if strings.HasSuffix(t, "\n") {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
	}
	line := func() {
		if t := b.String(); t != "" && !strings.HasSuffix(t, "\n") {
			b.WriteString("\n")
		}
	}
	for i := 0; i < maxMarkdownTokens; i++ {
		tt := z.Next()
		if tt == html.ErrorToken {
			break // io.EOF, or HTML too broken to read on
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			if skip > 0 {
				continue
			}
			if pre > 0 {
				b.WriteString(tok.Data)
				continue
			}
			spaced := func() {
				if t := b.String(); t != "" && !strings.HasSuffix(t, " ") && !strings.HasSuffix(t, "\n") {
					b.WriteString(" ")
				}
			}
			text := strings.Join(strings.Fields(tok.Data), " ")
			if text == "" {
				if tok.Data != "" {
					spaced()
				}
				continue
			}
			if strings.TrimLeftFunc(tok.Data, unicode.IsSpace) != tok.Data {
				spaced()
			}
			b.WriteString(escapeMarkdown(text))
			if strings.TrimRightFunc(tok.Data, unicode.IsSpace) != tok.Data {
				b.WriteString(" ")
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			switch tok.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Iframe, atom.Object, atom.Svg, atom.Math:
				if tt == html.StartTagToken {
					skip++
				}
			case atom.P, atom.Div, atom.Blockquote, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				block()
				if tok.DataAtom == atom.Blockquote {
					b.WriteString("> ")
				}
			case atom.Br:
				b.WriteString("  \n")
			case atom.Ul, atom.Ol:
				if len(lists) == 0 {
					block()
				} else {
					line()
				}
				lists = append(lists, list{ordered: tok.DataAtom == atom.Ol})
			case atom.Li:
				line()
				if n := len(lists); n > 0 {
					b.WriteString(strings.Repeat("   ", n-1))
					if lists[n-1].ordered {
						lists[n-1].n++
						b.WriteString(strconv.Itoa(lists[n-1].n) + ". ")
					} else {
						b.WriteString("- ")
					}
				} else {
					b.WriteString("- ")
				}
			case atom.Strong, atom.B:
				b.WriteString("**")
			case atom.Em, atom.I:
				b.WriteString("*")
			case atom.Code:
				if pre == 0 {
					b.WriteString("`")
				}
			case atom.Pre:
				block()
				b.WriteString("```\n")
				pre++
			case atom.A:
				href := attr(tok, "href")
				if u, err := url.Parse(href); err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
					href = ""
				}
				links = append(links, href)
				if href != "" {
					b.WriteString("[")
				}
			}
		case html.EndTagToken:
			switch tok.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Iframe, atom.Object, atom.Svg, atom.Math:
				if skip > 0 {
					skip--
				}
			case atom.P, atom.Div, atom.Blockquote, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				block()
			case atom.Ul, atom.Ol:
				if len(lists) > 0 {
					lists = lists[:len(lists)-1]
				}
				if len(lists) == 0 {
					block()
				}
			case atom.Strong, atom.B:
				b.WriteString("**")
			case atom.Em, atom.I:
				b.WriteString("*")
			case atom.Code:
				if pre == 0 {
					b.WriteString("`")
				}
			case atom.Pre:
				if pre > 0 {
					pre--
					line()
					b.WriteString("```")
					block()
				}
			case atom.A:
				if n := len(links); n > 0 {
					if href := links[n-1]; href != "" {
						b.WriteString("](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(href) + ")")
					}
					links = links[:n-1]
				}
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// escapeMarkdown keeps text from being read as Markdown.
var markdownEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`)

func escapeMarkdown(s string) string { return markdownEscaper.Replace(s) }

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}
