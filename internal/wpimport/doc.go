// Package wpimport brings a WordPress site over from its export (WXR):
// authors, categories, tags, posts and pages, their comments, the files of
// its uploads folder and redirects from its old addresses. A second run of
// the same export updates what the first one wrote.
package wpimport
