package storage_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/shop"
)

// The benchmark catalogue is generated book by book from its index, so
// that book i is the same in every run and no run holds 100,000 books in
// memory. Words are drawn with a Zipf law, as in real titles: a few are in
// thousands of books, most in a handful.

// genVersion changes whenever genBook changes, so that a stored dataset
// built by an older generator is rebuilt.
const genVersion = 1

var genWords = strings.Fields(`maison jardin voyage nuit jour mer montagne forêt rivière ville village enfant femme homme
	père mère frère sœur ami amour guerre paix histoire mémoire silence lumière ombre hiver été printemps automne
	éléphant girafe lion tigre cheval chien chat oiseau loup renard ours baleine dauphin papillon abeille
	roi reine prince princesse château île désert océan étoile lune soleil ciel terre feu eau vent pluie neige
	secret mystère enquête crime meurtre police détective espion trésor pirate aventure légende mythe conte
	rêve cauchemar peur courage colère joie tristesse espoir destin liberté vérité mensonge justice
	cuisine recette pain vin fromage chocolat café thé jardinage musique peinture danse théâtre cinéma photographie
	philosophie politique économie science physique chimie biologie médecine santé corps esprit âme
	révolution république empire colonie exil migration frontière mémoires lettres journal carnet chronique
	premier dernier grand petit nouveau vieux long court noir blanc rouge bleu vert jaune doré sombre clair
	perdu retrouvé oublié caché interdit éternel secret sauvage tranquille étrange heureux triste fragile
	école université professeur élève leçon livre bibliothèque librairie éditeur écrivain poète roman poème
	train gare route chemin pont port bateau avion voiture vélo marche course départ retour arrivée
	famille enfance jeunesse vieillesse naissance mort mariage divorce héritage maison-mère
	Paris Lyon Marseille Bretagne Provence Alsace Normandie Corse Afrique Amérique Asie Europe Orient Méditerranée
	Palmyre Syrie Algérie Maroc Tunisie Sénégal Québec Belgique Suisse Venise Rome Athènes Berlin Londres
	numérique réseau écran machine robot intelligence algorithme données climat planète nature écologie
	animaux plantes arbres fleurs insectes oiseaux poissons champignons pierres montagnes rivières saisons`)

var genFirstNames = strings.Fields(`Marie Jean Pierre Claire Julien Sophie Nicolas Camille Thomas Léa Antoine Chloé Hugo Emma Louis
	Manon Paul Inès Arthur Zoé Gabriel Alice Raphaël Jeanne Victor Louise Jules Anna Adam Lucie Maxime Sarah Léon
	Juliette Noé Margaux Théo Élise Mathis Hélène Étienne Agnès Benoît Cécile Denis Françoise Gérard Isabelle`)

var genLastNames = strings.Fields(`Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèbvre
	Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet François
	Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément
	Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly Gautier`)

var genPublisherNames = strings.Fields(`Gallimard Seuil Flammarion Grasset Albin-Michel Actes-Sud Minuit POL Stock Fayard
	Plon Robert-Laffont Julliard Denoël Calmann-Lévy Belfond Payot Rivages Zulma Verdier Hachette Larousse Nathan
	Bayard Casterman Dargaud Dupuis Glénat Delcourt Futuropolis Liana-Levi Sabine-Wespieser Anne-Carrière Lattès
	Métailié Philippe-Picquier Christian-Bourgois Corti Allia Agone Dargaud Le-Dilettante Finitude Gallmeister`)

// genSubjects are CLIL-like subjects: code and heading.
var genSubjects = func() [][2]string {
	heads := strings.Fields(`Roman Policier Science-fiction Fantasy Jeunesse Album Bande-dessinée Manga Poésie Théâtre
		Histoire Philosophie Sociologie Économie Politique Sciences Médecine Cuisine Voyage Art Musique Cinéma
		Photographie Nature Animaux Jardinage Sport Biographie Essai Religion Psychologie Éducation Droit Informatique`)
	var out [][2]string
	for i, h := range heads {
		for k := range 6 {
			name := strings.ReplaceAll(h, "-", " ")
			if k > 0 {
				name += fmt.Sprintf(" (%s)", []string{"", "France", "étranger", "classique", "contemporain", "poche"}[k])
			}
			out = append(out, [2]string{fmt.Sprintf("%04d", 3000+i*10+k), name})
		}
	}
	return out
}()

// genVocab is the vocabulary of descriptions: 30,000 words, mostly made
// up, with the real words of genWords spread over the ranks, so that under
// a Zipf law a real word is in 0.1 to 30 % of the descriptions, as content
// words of real blurbs are.
var genVocab = func() []string {
	syll := strings.Fields("ba ché lo ri mé tan vor gui pa lé su dor ni fè quo ra té min zo cla bru fon gé mo sel tri val jo nu pé")
	out := make([]string, 30000)
	for i := range out {
		var w strings.Builder
		for k, n := i, 0; n < 2 || k > 0; n++ {
			w.WriteString(syll[k%len(syll)])
			k /= len(syll)
		}
		out[i] = w.String()
	}
	for j, w := range genWords {
		out[20+j*25] = w
	}
	return out
}()

// genAuthors is the number of distinct author names drawn from.
const genAuthors = 20000

// genNow is the date the dataset is generated at.
var genNow = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// newZipf returns a generator of values in [0, max) under a Zipf law of
// exponent s, flattened by v.
func newZipf(r *rand.Rand, s, v float64, max uint64) *rand.Zipf { return rand.NewZipf(r, s, v, max-1) }

func genAuthor(k uint64) string {
	return genFirstNames[k%uint64(len(genFirstNames))] + " " + genLastNames[(k/uint64(len(genFirstNames)))%uint64(len(genLastNames))] +
		func() string {
			if n := k / uint64(len(genFirstNames)*len(genLastNames)); n > 0 {
				return fmt.Sprintf("-%c", 'A'+rune(n%26))
			}
			return ""
		}()
}

func genPublisher(k uint64) string {
	name := strings.ReplaceAll(genPublisherNames[k%uint64(len(genPublisherNames))], "-", " ")
	if n := k / uint64(len(genPublisherNames)); n > 0 {
		return fmt.Sprintf("%s %d", name, n)
	}
	return name
}

// genBook returns book i of the benchmark catalogue.
func genBook(i int) *shop.Book {
	r := rand.New(rand.NewPCG(uint64(i), genVersion))
	words := newZipf(r, 1.01, 20, uint64(len(genWords)))
	word := func() string { return genWords[words.Uint64()] }
	vocab := newZipf(r, 1.05, 10, uint64(len(genVocab)))
	authors := newZipf(r, 1.1, 2, genAuthors)
	publishers := newZipf(r, 1.1, 2, 400)
	subjects := newZipf(r, 1.1, 2, uint64(len(genSubjects)))

	n := 1 + r.IntN(4)
	tw := make([]string, n)
	for k := range tw {
		tw[k] = word()
	}
	first := []rune(tw[0])
	title := strings.ToUpper(string(first[:1])) + string(first[1:])
	if len(tw) > 1 {
		title += " " + strings.Join(tw[1:], " ")
	}
	b := &shop.Book{
		RecordRef: fmt.Sprintf("bench-%07d", i), ISBN: fmt.Sprintf("978%010d", i*7919%10000000000),
		Title: title, Format: shop.FormatPrint, Condition: shop.ConditionNew, Language: "fre",
		Publisher: genPublisher(publishers.Uint64()), Pages: 80 + r.IntN(600), VATRate: 550, Status: shop.StatusActive,
		WeightGrams: 150 + r.IntN(800), Availability: "20", CoverURL: fmt.Sprintf("https://covers.example.org/%d.jpg", i),
		UpdatedAt: genNow,
	}
	b.Slug = slugOf(b.Title)
	if r.IntN(10) < 3 {
		b.Subtitle = "Le " + word() + " et la " + word()
	}
	if r.IntN(10) == 0 {
		b.Series = "Collection " + word()
	}
	a := authors.Uint64()
	b.Contributors = []shop.Contributor{{Role: "A01", Name: genAuthor(a), SortName: genAuthor(a)}}
	if r.IntN(5) == 0 {
		t := authors.Uint64()
		b.Contributors = append(b.Contributors, shop.Contributor{Role: "B06", Name: genAuthor(t), SortName: genAuthor(t)})
	}
	b.PublishedOn = genNow.AddDate(0, 0, -r.IntN(36*365)+60)
	s := genSubjects[subjects.Uint64()]
	b.Subjects = []shop.Subject{{Scheme: "clil", Code: s[0], Heading: s[1], Main: true}}
	for range r.IntN(4) {
		b.Subjects = append(b.Subjects, shop.Subject{Scheme: "keyword", Heading: word()})
	}
	var d strings.Builder
	d.WriteString("<p>")
	for k := range 40 + r.IntN(110) {
		if k > 0 {
			d.WriteByte(' ')
		}
		d.WriteString(genVocab[vocab.Uint64()])
		if k%12 == 11 {
			d.WriteString(".</p><p>")
		}
	}
	d.WriteString(".</p>")
	b.Description = d.String()
	price := int64(500 + r.IntN(40)*100 + 90)
	b.Prices = []shop.Price{{Cents: price}}
	if r.IntN(10) == 0 {
		change := genNow.AddDate(0, -r.IntN(24), 0)
		b.Prices = []shop.Price{{Cents: price - 100, Until: change}, {Cents: price, From: change}}
	}
	switch k := r.IntN(100); {
	case k < 10:
		b.Format, b.VATRate = shop.FormatEbook, 550
	case k < 14:
		b.Format = shop.FormatAudio
	}
	if r.IntN(100) < 8 {
		b.Condition, b.ConditionNote = shop.ConditionUsed, "bon état"
		b.RecordRef = fmt.Sprintf("used:%d", i)
		// A used copy of the book before it.
		b.ISBN = fmt.Sprintf("978%010d", (i-1)*7919%10000000000)
		b.TrackStock, b.Stock = true, 1
	}
	switch k := r.IntN(100); {
	case k < 5:
		b.Status = shop.StatusWithdrawn
	case k < 9:
		b.Status = shop.StatusForthcoming
		b.PublishedOn = genNow.AddDate(0, 0, 1+r.IntN(120))
	}
	return b
}
