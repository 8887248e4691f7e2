package telegramtest

import (
	"regexp"
	"unicode/utf16"
)

// The JSON shapes of the Bot API's User, Chat, ChatFullInfo, ChatMember and
// Message (core.telegram.org/bots/api#available-types), with the fields the
// API sends for a bot, a channel and a channel post.

type userJSON struct {
	ID                      int64  `json:"id"`
	IsBot                   bool   `json:"is_bot"`
	FirstName               string `json:"first_name"`
	Username                string `json:"username,omitempty"`
	CanJoinGroups           *bool  `json:"can_join_groups,omitempty"`
	CanReadAllGroupMessages *bool  `json:"can_read_all_group_messages,omitempty"`
	SupportsInlineQueries   *bool  `json:"supports_inline_queries,omitempty"`
	CanConnectToBusiness    *bool  `json:"can_connect_to_business,omitempty"`
	HasMainWebApp           *bool  `json:"has_main_web_app,omitempty"`
}

type chatJSON struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Username string `json:"username,omitempty"`
	Type     string `json:"type"`
}

type chatFullInfoJSON struct {
	chatJSON
	Description       string          `json:"description,omitempty"`
	AccentColorID     int             `json:"accent_color_id"`
	MaxReactionCount  int             `json:"max_reaction_count"`
	AcceptedGiftTypes map[string]bool `json:"accepted_gift_types"`
}

// chatMemberJSON is ChatMemberAdministrator when its rights are set, else
// ChatMemberMember, ChatMemberLeft or ChatMemberBanned by Status.
type chatMemberJSON struct {
	Status string   `json:"status"`
	User   userJSON `json:"user"`
	*adminRightsJSON
}

// adminRightsJSON are the rights of a ChatMemberAdministrator.
type adminRightsJSON struct {
	CanBeEdited         bool `json:"can_be_edited"`
	IsAnonymous         bool `json:"is_anonymous"`
	CanManageChat       bool `json:"can_manage_chat"`
	CanDeleteMessages   bool `json:"can_delete_messages"`
	CanManageVideoChats bool `json:"can_manage_video_chats"`
	CanRestrictMembers  bool `json:"can_restrict_members"`
	CanPromoteMembers   bool `json:"can_promote_members"`
	CanChangeInfo       bool `json:"can_change_info"`
	CanInviteUsers      bool `json:"can_invite_users"`
	CanPostStories      bool `json:"can_post_stories"`
	CanEditStories      bool `json:"can_edit_stories"`
	CanDeleteStories    bool `json:"can_delete_stories"`
	CanPostMessages     bool `json:"can_post_messages"`
	CanEditMessages     bool `json:"can_edit_messages"`
}

type entityJSON struct {
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	Type   string `json:"type"`
}

type messageJSON struct {
	MessageID          int64               `json:"message_id"`
	SenderChat         chatJSON            `json:"sender_chat"`
	Chat               chatJSON            `json:"chat"`
	Date               int64               `json:"date"`
	Text               string              `json:"text"`
	Entities           []entityJSON        `json:"entities,omitempty"`
	LinkPreviewOptions *LinkPreviewOptions `json:"link_preview_options,omitempty"`
}

func boolPtr(b bool) *bool { return &b }

// chatInfo returns the channel as a Chat. The caller holds s.mu.
func (s *Server) chatInfo() chatJSON {
	return chatJSON{ID: s.ChannelID, Title: s.ChannelTitle, Username: s.channelUsername, Type: "channel"}
}

// messageJSON returns m as a channel post. The caller holds s.mu.
func (s *Server) messageJSON(m *Message) messageJSON {
	c := s.chatInfo()
	return messageJSON{MessageID: m.MessageID, SenderChat: c, Chat: c, Date: m.Date.Unix(), Text: m.Text,
		Entities: urlEntities(m.Text), LinkPreviewOptions: m.LinkPreview}
}

var urlPattern = regexp.MustCompile(`https?://[^\s<>"«»]+[^\s<>"«».,;:!?)]`)

// urlEntities returns the "url" entities Telegram finds in a plain text,
// with offsets and lengths in UTF-16 code units.
func urlEntities(text string) []entityJSON {
	var out []entityJSON
	for _, m := range urlPattern.FindAllStringIndex(text, -1) {
		out = append(out, entityJSON{Offset: utf16Len(text[:m[0]]), Length: utf16Len(text[m[0]:m[1]]), Type: "url"})
	}
	return out
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
