package onixtest

// The pools synthetic records draw from.
var (
	articles   = []string{"Le ", "La ", "Les ", "L'", "Un ", "Une ", ""}
	nouns      = []string{"silence", "maison", "voyageurs", "été", "mer", "jardin", "hiver", "nuit", "écrivain", "forêt", "héritage", "promesse", "île", "mémoire", "frontière", "enfance", "chambre", "rivière", "photographe", "dernier été"}
	nouns2     = []string{"la mer", "l'oubli", "nos pères", "Paris", "la guerre", "l'aube", "Lisbonne", "la montagne", "l'exil", "Marseille", "Saint-Malo", "l'ombre"}
	nouns2Cap  = []string{"Retour", "Lettres", "Chroniques", "Mémoires", "Éloge", "Histoire", "Portrait", "Voyage"}
	ofs        = []string{"de ", "à ", "sous ", "après ", "vers "}
	adjectives = []string{"blanche", "perdu", "invisibles", "éternel", "inachevée", "provisoire", "sauvage", "intérieure"}
	subtitles  = []string{"roman", "récit", "nouvelles", "essai", "une enquête", "poèmes choisis", "chroniques d'une époque"}
	series     = []string{"Folio", "Le Livre de Poche", "Babel", "Points", "Littérature étrangère", "Domaine français", "La Pléiade", "Rivages noir"}
	firstNames = []string{"Marie", "Jean", "Annie", "Patrick", "Leïla", "Jérôme", "Amélie", "François", "Maylis", "Édouard", "Léonora", "Hervé", "Alice", "Mohamed", "Chloé", "Bérénice", "Gaël", "Maëlle"}
	lastNames  = []string{"Dupont", "Lefèvre", "Moreau", "N'Diaye", "Garnier", "de Kerangal", "Slimani", "Mbougar Sarr", "Carrère", "Vuillard", "Le Tellier", "Chevalier", "Zeniter", "Giraud", "Bonnefoy", "Ferrante", "Ernaux"}
	publishers = [][2]string{{"Gallimard", "Folio"}, {"Actes Sud", "Babel"}, {"Éditions du Seuil", "Points"}, {"Phébus", "Phébus"}, {"P.O.L", "P.O.L"}, {"Flammarion", "J'ai lu"}, {"Albin Michel", "Albin Michel"}, {"Éditions de Minuit", "Minuit"}, {"L'Iconoclaste", "L'Iconoclaste"}}
	clils      = [][2]string{{"2312", "Romans contemporains"}, {"3751", "Romans"}, {"2540", "Fiction"}, {"3722", "Jeunesse"}, {"3435", "Littérature générale"}, {"3377", "Essais"}}
	themas     = []string{"FBA", "FF", "FH", "DC", "NH", "JP", "WB", "YFB", "FL", "FM", "DNB"}
	keywords   = []string{"famille", "exil", "mémoire", "amour", "guerre", "enquête", "Bretagne", "adolescence", "prix Goncourt", "premier roman", "Méditerranée", "deuil", "amitié"}
	openings   = []string{"À la mort de son père,", "Dans un village des Cévennes,", "Au lendemain de la guerre,", "Quand l'été s'achève,", "Sur les quais de Marseille,", "Entre Paris et Alger,", "Un matin de janvier,"}
	middles    = []string{"une jeune femme découvre", "deux frères retrouvent", "un libraire reçoit", "une photographe cherche", "une famille affronte", "un enquêteur remonte"}
	endings    = []string{"le secret que tous avaient tu.", "la trace d'un amour ancien.", "des lettres jamais envoyées.", "ce qui reste quand tout s'efface.", "les fantômes d'une maison trop grande.", "la vérité sur « l'affaire » de 1962."}
)

// shortTags are the short tags of the reference names Generate writes
// (composites are the lower-case reference name).
var shortTags = map[string]string{
	"SenderName": "x298", "SentDateTime": "x307", "DefaultLanguageOfText": "m184",
	"RecordReference": "a001", "NotificationType": "a002", "ProductIDType": "b221", "IDValue": "b244",
	"ProductComposition": "x314", "ProductForm": "b012", "ProductFormDetail": "b333",
	"MeasureType": "x315", "Measurement": "c094", "MeasureUnitCode": "c095",
	"CollectionType": "x329", "TitleType": "b202", "TitleElementLevel": "x409", "PartNumber": "x410",
	"TitleText": "b203", "TitlePrefix": "b030", "TitleWithoutPrefix": "b031", "Subtitle": "b029",
	"SequenceNumber": "b034", "ContributorRole": "b035", "PersonName": "b036", "PersonNameInverted": "b037",
	"NamesBeforeKey": "b039", "KeyNames": "b040", "BiographicalNote": "b044",
	"LanguageRole": "b253", "LanguageCode": "b252", "ExtentType": "b218", "ExtentValue": "b219", "ExtentUnit": "b220",
	"MainSubject": "x425", "SubjectSchemeIdentifier": "b067", "SubjectSchemeVersion": "b068",
	"SubjectCode": "b069", "SubjectHeadingText": "b070",
	"TextType": "x426", "ContentAudience": "x427", "Text": "d104",
	"ResourceContentType": "x436", "ResourceMode": "x437", "ResourceForm": "x441", "ResourceLink": "x435",
	"ImprintName": "b079", "PublishingRole": "b291", "PublisherName": "b081", "PublishingStatus": "b394",
	"PublishingDateRole": "x448", "DateFormat": "j260", "Date": "b306",
	"CountriesIncluded": "x449", "SupplierRole": "j292", "SupplierName": "j137",
	"ProductAvailability": "j396", "UnpricedItemType": "j192",
	"PriceType": "x462", "PriceQualifier": "j261", "PriceAmount": "j151", "CurrencyCode": "j152",
	"TaxType": "x470", "TaxRateCode": "x471", "TaxRatePercent": "x472", "PriceDateRole": "x476",
}
