package receipts

// The model's wording, in one place so that a new revision of the form is
// one edit. Sources: the 11580*05 model as transcribed by Dolibarr's
// pdf_cerfafr_11580 module, checked against the changes listed by
// compta-online.com and fic-expertise.fr (July 2023).
const (
	formCode    = "2041-RD"
	cerfaNumber = "N° 11580*05"
	title       = "Reçu des dons et versements effectués par les particuliers au titre des articles 200 et 978 du code général des impôts"
	beneficiary = "Organisme bénéficiaire des dons et versements"
	// generalInterestBox heads the sub-boxes of GeneralInterest and
	// PublicUtility.
	generalInterestBox = "Œuvre ou organisme d'intérêt général ayant un caractère philanthropique, éducatif, scientifique, social, humanitaire, sportif, familial, culturel ou concourant à la mise en valeur du patrimoine artistique, à la défense de l'environnement naturel ou à la diffusion de la culture, de la langue et des connaissances scientifiques françaises :"
	association1901Box = "Association loi 1901"
	publicUtilityBox   = "Association ou fondation reconnue d'utilité publique par décret en date du %s publié au Journal officiel du %s"
	pressPluralismBox  = "Association d'intérêt général exerçant des actions concrètes en faveur du pluralisme de la presse, par la prise de participations minoritaires, l'octroi de subventions ou encore de prêts bonifiés à des entreprises de presse"
	endowmentFundBox   = "Fonds de dotation"
	acknowledgement    = "Le bénéficiaire reconnaît avoir reçu des dons et versements ouvrant droit à réduction d'impôt d'un montant de (1) :"
	certification      = "Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent droit à la réduction d'impôt prévue à l'article (2) :"
	footnotes          = "(1) Pour les dons de titres de sociétés cotées et les dons en nature, mentionnez la valeur du don.\n" +
		"(2) L'organisme bénéficiaire peut cocher une ou plusieurs cases, étant entendu que la fraction du montant donné qui ouvre droit pour son auteur à la réduction d'IFI prévue à l'article 978 du CGI ne peut ouvrir droit à la réduction d'IR prévue à l'article 200 du CGI et inversement. " +
		"En application de l'article L. 80 C du livre des procédures fiscales, il peut demander à l'administration s'il relève de l'une des catégories d'organismes mentionnées à l'article 200 du code général des impôts. " +
		"Il est rappelé que le fait de délivrer sciemment des documents permettant à un contribuable d'obtenir indûment une réduction d'impôt entraîne l'application de l'amende prévue à l'article 1740 A du code général des impôts.\n" +
		"(3) La réduction d'IFI ne s'applique qu'aux dons en numéraire et aux dons en pleine propriété de titres de sociétés cotées.\n" +
		"(4) Exemple : dons en nature."
)
