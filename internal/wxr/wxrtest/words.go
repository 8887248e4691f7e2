package wxrtest

// The pools synthetic posts and comments draw from.
var (
	titleStarts = []string{"À Marseille,", "Enquête :", "Municipales :", "Reportage –", "Entretien :", "Analyse :", "Dans le Finistère,", "Éditorial :", "Sur le port,", "Justice :"}
	nouns       = []string{"le conseil municipal", "les pêcheurs", "la préfecture", "les riverains", "l'hôpital", "le collège Jean-Moulin", "la médiathèque", "les éleveurs", "la cour d'appel", "le maire", "les bénévoles", "la gare", "l'usine", "les lycéens", "la rédaction"}
	verbs       = []string{"votent", "dénoncent", "réclament", "inaugurent", "contestent", "préparent", "espèrent", "racontent", "relancent", "ferment"}
	objects     = []string{"un budget de crise", "la fermeture du marché", "un nouveau pont", "la hausse des loyers", "le plan vélo", "une grève illimitée", "des travaux d'été", "la rénovation du port", "un festival de cinéma", "l'accueil des réfugiés"}
	words       = []string{"la", "ville", "a", "décidé", "de", "lancer", "une", "consultation", "publique", "sur", "le", "projet", "qui", "divise", "les", "habitants", "depuis", "des", "mois", "selon", "plusieurs", "élus", "l'opposition", "réclame", "un", "débat", "et", "la", "majorité", "répond", "que", "calendrier", "est", "tenu", "à", "Brest", "comme", "Lyon", "on", "attend", "réponse", "préfet", "avant", "l'été", "prochain", "dit", "adjointe", "chargée", "travaux", "été", "très", "clair", "là-dessus", "«", "nous", "irons", "jusqu'au", "bout", "»", "près", "port", "cœur", "quartier"}
	firstNames  = []string{"Marie", "Jean", "Annie", "Patrick", "Leïla", "Jérôme", "Amélie", "François", "Maylis", "Édouard", "Hervé", "Alice", "Mohamed", "Chloé", "Bérénice", "Gaël", "Maëlle", "Youssef"}
	lastNames   = []string{"Dupont", "Lefèvre", "Moreau", "N'Diaye", "Garnier", "Le Goff", "Benali", "Martin", "Roux", "Nguyen", "Ferreira", "Kerbrat"}
	categories  = []string{"Politique", "Société", "Économie", "Culture", "Sports", "Environnement", "Justice", "Éducation", "Santé", "International"}
	subjects    = []string{"Municipales", "Port", "Transports", "Logement", "Festival", "Agriculture", "Pêche", "Université", "Hôpital", "Climat"}
	tagWords    = []string{"brest", "marseille", "lyon", "budget", "grève", "vélo", "loyers", "mer", "école", "marché", "pont", "élections", "mairie", "climat", "tribunal", "cinéma", "musée", "emploi", "eau", "forêt"}
)
