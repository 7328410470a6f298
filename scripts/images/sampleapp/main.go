// sampleapp is the Go program of customs' sample image (scripts/build-images.sh).
// It exists so that the image holds a real Go binary whose build information
// lists real module versions: golang.org/x/net and golang.org/x/text, vendored
// from Debian's golang-golang-x-{net,text}-dev packages.
package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

func main() {
	doc, err := html.Parse(strings.NewReader("<p>hello from the customs sample image</p>"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "sampleapp:", err)
		os.Exit(1)
	}
	var text strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	fmt.Println(cases.Title(language.English).String(text.String()))
}
