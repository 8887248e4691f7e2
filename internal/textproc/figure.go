package textproc

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// kindFigure identifies figureNode in the goldmark tree. Goldmark node kinds
// are registered once, at package initialisation, and never change.
var kindFigure = ast.NewNodeKind("Figure")

// figureNode is an image presented with a caption: its only child is the
// image, and caption is the image's title.
type figureNode struct {
	ast.BaseBlock
	caption []byte
}

// Kind implements ast.Node.
func (n *figureNode) Kind() ast.NodeKind { return kindFigure }

// Dump implements ast.Node.
func (n *figureNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Caption": string(n.caption)}, nil)
}

// articleTransformer adapts the Markdown tree to an article page: level-1
// headings become level 2 (the page title is the h1), and a paragraph holding
// nothing but an image with a title becomes a figure.
type articleTransformer struct{}

// Transform implements parser.ASTTransformer.
func (articleTransformer) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var figures []*ast.Paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 {
				n.Level = 2
			}
		case *ast.Paragraph:
			if img, ok := n.FirstChild().(*ast.Image); ok && n.ChildCount() == 1 && len(img.Title) > 0 {
				figures = append(figures, n)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// The tree is changed after the walk, which must not see it move.
	for _, p := range figures {
		img := p.FirstChild().(*ast.Image)
		fig := &figureNode{caption: img.Title}
		img.Title = nil // shown once, as the caption
		p.RemoveChild(p, img)
		fig.AppendChild(fig, img)
		p.Parent().ReplaceChild(p.Parent(), p, fig)
	}
}

// figureRenderer writes a figureNode as <figure>, the image, and a
// <figcaption> holding the escaped title.
type figureRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (figureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindFigure, renderFigure)
}

func renderFigure(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<figure>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<figcaption>")
	html.DefaultWriter.Write(w, n.(*figureNode).caption)
	_, _ = w.WriteString("</figcaption></figure>\n")
	return ast.WalkContinue, nil
}
