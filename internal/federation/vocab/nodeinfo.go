package vocab

// NodeInfo is a NodeInfo 2.1 document, which other servers read to name the
// software a domain runs.
type NodeInfo struct {
	Version           string           `json:"version"`
	Software          NodeInfoSoftware `json:"software"`
	Protocols         []string         `json:"protocols"`
	Services          NodeInfoServices `json:"services"`
	Usage             NodeInfoUsage    `json:"usage"`
	OpenRegistrations bool             `json:"openRegistrations"`
	Metadata          map[string]any   `json:"metadata"`
}

// NodeInfoSoftware names the software and its version.
type NodeInfoSoftware struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Repository string `json:"repository,omitempty"`
	Homepage   string `json:"homepage,omitempty"`
}

// NodeInfoServices lists third-party services the node talks to; none.
type NodeInfoServices struct {
	Inbound  []string `json:"inbound"`
	Outbound []string `json:"outbound"`
}

// NodeInfoUsage counts the node's accounts and posts.
type NodeInfoUsage struct {
	Users      NodeInfoUsers `json:"users"`
	LocalPosts int           `json:"localPosts"`
}

// NodeInfoUsers counts accounts: all, and active in the last month and half-year.
type NodeInfoUsers struct {
	Total          int `json:"total"`
	ActiveMonth    int `json:"activeMonth"`
	ActiveHalfyear int `json:"activeHalfyear"`
}

// NodeInfoInput is what the NodeInfo document is built from.
type NodeInfoInput struct {
	// SoftwareName is lowercase letters, digits and hyphens ("kiosque"),
	// as the schema requires; SoftwareVersion its version.
	SoftwareName, SoftwareVersion string
	// Repository and Homepage are optional addresses of the software.
	Repository, Homepage string
	// Users counts the actors (one per publication); ActiveMonth and
	// ActiveHalfyear those that published in the period.
	Users, ActiveMonth, ActiveHalfyear int
	// LocalPosts counts the federated articles.
	LocalPosts int
	// NodeName and NodeDescription describe the site, in metadata.
	NodeName, NodeDescription string
}

// NodeInfoLinks is the /.well-known/nodeinfo discovery document.
type NodeInfoLinks struct {
	Links []Link `json:"links"`
}

// NewNodeInfo builds the NodeInfo 2.1 document. Registrations are always
// closed: readers do not open accounts on a newsroom's fediverse actor.
func NewNodeInfo(in NodeInfoInput) (*NodeInfo, error) {
	if !isSoftwareName(in.SoftwareName) {
		return nil, invalidInput("software.name", "must be lowercase letters, digits and hyphens")
	}
	if in.SoftwareVersion == "" {
		return nil, invalidInput("software.version", "is required")
	}
	if err := checkOptionalURL("software.repository", in.Repository); err != nil {
		return nil, err
	}
	if err := checkOptionalURL("software.homepage", in.Homepage); err != nil {
		return nil, err
	}
	meta := map[string]any{}
	if in.NodeName != "" {
		meta["nodeName"] = in.NodeName
	}
	if in.NodeDescription != "" {
		meta["nodeDescription"] = in.NodeDescription
	}
	return &NodeInfo{
		Version: "2.1",
		Software: NodeInfoSoftware{
			Name: in.SoftwareName, Version: in.SoftwareVersion,
			Repository: in.Repository, Homepage: in.Homepage,
		},
		Protocols: []string{"activitypub"},
		Services:  NodeInfoServices{Inbound: []string{}, Outbound: []string{}},
		Usage: NodeInfoUsage{
			Users:      NodeInfoUsers{Total: in.Users, ActiveMonth: in.ActiveMonth, ActiveHalfyear: in.ActiveHalfyear},
			LocalPosts: in.LocalPosts,
		},
		OpenRegistrations: false,
		Metadata:          meta,
	}, nil
}

// NewNodeInfoLinks is the /.well-known/nodeinfo document pointing at the
// NodeInfo 2.1 document served at href.
func NewNodeInfoLinks(href string) (*NodeInfoLinks, error) {
	if err := checkURL("href", href); err != nil {
		return nil, err
	}
	return &NodeInfoLinks{Links: []Link{{Rel: RelNodeInfo21, Href: href}}}, nil
}

// isSoftwareName reports whether s matches the schema's ^[a-z0-9-]+$.
func isSoftwareName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-':
		default:
			return false
		}
	}
	return true
}
