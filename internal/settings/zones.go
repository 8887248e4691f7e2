package settings

import "slices"

// zones are the time zones offered in the back office: those of the
// French-speaking world (France and its overseas territories, Belgium,
// Switzerland, Luxembourg, Monaco, Québec and Canada, Africa, the Indian
// Ocean, the Pacific, Haiti, Lebanon), the capitals where correspondents
// often work, and UTC. Any other IANA zone name is still accepted.
var zones = []string{
	"UTC",
	"Africa/Abidjan", "Africa/Algiers", "Africa/Bamako", "Africa/Bangui", "Africa/Brazzaville",
	"Africa/Bujumbura", "Africa/Cairo", "Africa/Casablanca", "Africa/Conakry", "Africa/Dakar",
	"Africa/Djibouti", "Africa/Douala", "Africa/Johannesburg", "Africa/Kigali", "Africa/Kinshasa",
	"Africa/Lagos", "Africa/Libreville", "Africa/Lome", "Africa/Lubumbashi", "Africa/Malabo",
	"Africa/Nairobi", "Africa/Ndjamena", "Africa/Niamey", "Africa/Nouakchott", "Africa/Ouagadougou",
	"Africa/Porto-Novo", "Africa/Tunis",
	"America/Argentina/Buenos_Aires", "America/Bogota", "America/Cayenne", "America/Chicago",
	"America/Denver", "America/Edmonton", "America/Guadeloupe", "America/Halifax", "America/Havana",
	"America/Lima", "America/Los_Angeles", "America/Marigot", "America/Martinique", "America/Mexico_City",
	"America/Miquelon", "America/Moncton", "America/New_York", "America/Port-au-Prince", "America/Regina",
	"America/Santiago", "America/Sao_Paulo", "America/St_Barthelemy", "America/St_Johns", "America/Toronto",
	"America/Vancouver", "America/Winnipeg",
	"Asia/Baghdad", "Asia/Bangkok", "Asia/Beirut", "Asia/Damascus", "Asia/Dubai", "Asia/Ho_Chi_Minh",
	"Asia/Hong_Kong", "Asia/Jerusalem", "Asia/Kolkata", "Asia/Phnom_Penh", "Asia/Shanghai", "Asia/Singapore",
	"Asia/Tehran", "Asia/Tokyo", "Asia/Vientiane",
	"Atlantic/Azores", "Atlantic/Canary", "Atlantic/Cape_Verde", "Atlantic/Reykjavik",
	"Australia/Sydney",
	"Europe/Amsterdam", "Europe/Andorra", "Europe/Athens", "Europe/Belgrade", "Europe/Berlin",
	"Europe/Brussels", "Europe/Bucharest", "Europe/Budapest", "Europe/Chisinau", "Europe/Copenhagen",
	"Europe/Dublin", "Europe/Helsinki", "Europe/Istanbul", "Europe/Kyiv", "Europe/Lisbon", "Europe/London",
	"Europe/Luxembourg", "Europe/Madrid", "Europe/Malta", "Europe/Monaco", "Europe/Moscow", "Europe/Oslo",
	"Europe/Paris", "Europe/Prague", "Europe/Riga", "Europe/Rome", "Europe/Sofia", "Europe/Stockholm",
	"Europe/Tallinn", "Europe/Vienna", "Europe/Vilnius", "Europe/Warsaw", "Europe/Zurich",
	"Indian/Antananarivo", "Indian/Comoro", "Indian/Kerguelen", "Indian/Mahe", "Indian/Maldives",
	"Indian/Mauritius", "Indian/Mayotte", "Indian/Reunion",
	"Pacific/Auckland", "Pacific/Efate", "Pacific/Gambier", "Pacific/Marquesas", "Pacific/Noumea",
	"Pacific/Tahiti", "Pacific/Wallis",
}

// Timezones returns the IANA zone names to offer, UTC first, then sorted.
func Timezones() []string { return slices.Clone(zones) }
