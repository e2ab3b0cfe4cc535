/**
 * Outlook's CSV column set ("Comma Separated Values" export of Outlook for Windows), in English,
 * German and French. Outlook writes every column for every contact, names them in the language of
 * the installation, and puts them in that language's own order (German and French sort part of the
 * list alphabetically). Each column has one fixed meaning, so the kind of a phone or an address
 * lives in the column's name. French has two columns named "Titre": the first is the name prefix,
 * the second the job title.
 */
import { customFieldTarget, itemColumn, single, type ColumnTarget } from './targets';

export type OutlookLanguage = 'en' | 'de' | 'fr';

export interface OutlookColumn {
  /** The English header, which is also the column's id. */
  readonly en: string;
  /** Localised headers: the first is what Outlook writes, the rest are spellings seen in other versions. */
  readonly de: readonly string[];
  readonly fr: readonly string[];
  readonly target: ColumnTarget;
}

const phone = (types: readonly string[], extra: { label?: string; pref?: boolean } = {}): ColumnTarget => itemColumn('phone', 'value', { types, ...extra });
const adr = (kind: 'work' | 'home' | 'other', part: 'street' | 'locality' | 'region' | 'postalCode' | 'country' | 'poBox'): ColumnTarget =>
  itemColumn('address', part, { item: `address ${kind}`, types: [kind] });
const email = (n: number, part: 'value' | 'service'): ColumnTarget => itemColumn('email', part, { item: `email ${n}` });
const related = (types: readonly string[], label = ''): ColumnTarget => itemColumn('related', 'value', { types, label });
const custom = (en: string): ColumnTarget => customFieldTarget(en);
const IGNORE: ColumnTarget = { kind: 'ignore' };

const c = (en: string, de: string | readonly string[], fr: string | readonly string[], target: ColumnTarget): OutlookColumn => ({
  en,
  de: typeof de === 'string' ? [de] : de,
  fr: typeof fr === 'string' ? [fr] : fr,
  target,
});

/** In English order, which is also the order of the English export. */
export const OUTLOOK_COLUMNS: readonly OutlookColumn[] = [
  c('Title', 'Anrede', 'Titre', single('name.prefix')),
  c('First Name', 'Vorname', 'Prénom', single('name.given')),
  c('Middle Name', ['Weitere Vornamen', 'Zweiter Vorname'], 'Deuxième prénom', single('name.additional')),
  c('Last Name', 'Nachname', 'Nom', single('name.family')),
  c('Suffix', ['Suffix', 'Namenszusatz'], 'Suffixe', single('name.suffix')),
  c('Company', 'Firma', 'Société', single('org.name')),
  c('Department', 'Abteilung', 'Service', single('org.department')),
  c('Job Title', 'Position', ['Titre', 'Fonction', 'Poste'], single('title')),
  c('Business Street', 'Straße geschäftlich', 'Rue (bureau)', adr('work', 'street')),
  c('Business Street 2', 'Straße geschäftlich 2', 'Rue (bureau) 2', adr('work', 'street')),
  c('Business Street 3', 'Straße geschäftlich 3', 'Rue (bureau) 3', adr('work', 'street')),
  c('Business City', 'Ort geschäftlich', 'Ville (bureau)', adr('work', 'locality')),
  c('Business State', ['Region geschäftlich', 'Bundesland/Kanton geschäftlich'], 'Dép/Région (bureau)', adr('work', 'region')),
  c('Business Postal Code', 'Postleitzahl geschäftlich', 'Code postal (bureau)', adr('work', 'postalCode')),
  c('Business Country/Region', 'Land/Region geschäftlich', ['Pays/Région (bureau)', 'Pays (bureau)'], adr('work', 'country')),
  c('Home Street', 'Straße privat', 'Rue (domicile)', adr('home', 'street')),
  c('Home Street 2', 'Straße privat 2', 'Rue (domicile) 2', adr('home', 'street')),
  c('Home Street 3', 'Straße privat 3', 'Rue (domicile) 3', adr('home', 'street')),
  c('Home City', 'Ort privat', 'Ville (domicile)', adr('home', 'locality')),
  c('Home State', 'Bundesland/Kanton privat', 'Dép/Région (domicile)', adr('home', 'region')),
  c('Home Postal Code', 'Postleitzahl privat', 'Code postal (domicile)', adr('home', 'postalCode')),
  c('Home Country/Region', 'Land/Region privat', ['Pays/Région (domicile)', 'Pays (domicile)'], adr('home', 'country')),
  c('Other Street', 'Weitere Straße', 'Rue (autre)', adr('other', 'street')),
  c('Other Street 2', 'Weitere Straße 2', 'Rue (autre) 2', adr('other', 'street')),
  c('Other Street 3', 'Weitere Straße 3', 'Rue (autre) 3', adr('other', 'street')),
  c('Other City', 'Weiterer Ort', 'Ville (autre)', adr('other', 'locality')),
  c('Other State', 'Weiteres/r Bundesland/Kanton', 'Dép/Région (autre)', adr('other', 'region')),
  c('Other Postal Code', 'Weitere Postleitzahl', 'Code postal (autre)', adr('other', 'postalCode')),
  c('Other Country/Region', 'Weiteres/e Land/Region', ['Pays/Région (autre)', 'Pays (autre)'], adr('other', 'country')),
  c("Assistant's Phone", 'Telefon Assistent', "Téléphone de l'assistant(e)", phone([], { label: 'Assistant' })),
  c('Business Fax', 'Fax geschäftlich', 'Télécopie (bureau)', phone(['work', 'fax'])),
  c('Business Phone', 'Telefon geschäftlich', 'Téléphone (bureau)', phone(['work'])),
  c('Business Phone 2', 'Telefon geschäftlich 2', 'Téléphone 2 (bureau)', phone(['work'])),
  c('Callback', 'Rückmeldung', 'Rappel', phone([], { label: 'Callback' })),
  c('Car Phone', 'Autotelefon', 'Téléphone (voiture)', phone(['car'])),
  c('Company Main Phone', 'Telefon Firma', 'Téléphone société', phone(['work'], { label: 'Company Main' })),
  c('Home Fax', 'Fax privat', 'Télécopie (domicile)', phone(['home', 'fax'])),
  c('Home Phone', 'Telefon privat', 'Téléphone (domicile)', phone(['home'])),
  c('Home Phone 2', 'Telefon privat 2', 'Téléphone 2 (domicile)', phone(['home'])),
  c('ISDN', 'ISDN', 'RNIS', phone(['isdn'])),
  c('Mobile Phone', 'Mobiltelefon', 'Tél. mobile', phone(['cell'])),
  c('Other Fax', 'Weiteres Fax', 'Télécopie (autre)', phone(['fax'])),
  c('Other Phone', 'Weiteres Telefon', 'Téléphone (autre)', phone(['other'])),
  c('Pager', 'Pager', 'Récepteur de radiomessagerie', phone(['pager'])),
  c('Primary Phone', 'Haupttelefon', 'Téléphone principal', phone([], { pref: true })),
  // German Outlook calls this column "Mobiltelefon 2"; it is the radio phone of the English set.
  c('Radio Phone', 'Mobiltelefon 2', 'Radio téléphone', phone([], { label: 'Radio' })),
  c('TTY/TDD Phone', 'Telefon für Hörbehinderte', 'Téléphone TDD/TTY', phone(['textphone'])),
  c('Telex', 'Telex', 'Télex', phone([], { label: 'Telex' })),
  c('Account', 'Konto', 'Compte', custom('Account')),
  c('Anniversary', 'Jahrestag', 'Anniversaire de mariage ou fête', single('anniversary')),
  c("Assistant's Name", 'Name Assistent', "Nom de l'assistant(e)", related([], 'Assistant')),
  c('Billing Information', 'Abrechnungsinformation', 'Informations facturation', custom('Billing Information')),
  c('Birthday', 'Geburtstag', 'Anniversaire', single('birthday')),
  c('Business Address PO Box', 'Postfach geschäftlich', 'B.P. professionnelle', adr('work', 'poBox')),
  c('Categories', 'Kategorien', 'Catégories', single('categories')),
  c('Children', 'Kinder', 'Enfants', related(['child'])),
  c('Directory Server', 'Verzeichnisserver', "Serveur d'annuaire", custom('Directory Server')),
  c('E-mail Address', 'E-Mail-Adresse', ['Adresse de messagerie', 'Adresse e-mail', 'Adresse de courrier'], email(1, 'value')),
  c('E-mail Type', 'E-Mail-Typ', 'Type de messagerie', email(1, 'service')),
  c('E-mail Display Name', 'E-Mail: Angezeigter Name', "Nom complet de l'adresse de messagerie", IGNORE),
  c('E-mail 2 Address', 'E-Mail 2: Adresse', ['Adresse de messagerie 2', 'Adresse e-mail 2', 'Adresse de courrier 2'], email(2, 'value')),
  c('E-mail 2 Type', 'E-Mail 2: Typ', 'Type de messagerie 2', email(2, 'service')),
  c('E-mail 2 Display Name', 'E-Mail 2: Angezeigter Name', "Nom complet de l'adresse de messagerie 2", IGNORE),
  c('E-mail 3 Address', 'E-Mail 3: Adresse', ['Adresse de messagerie 3', 'Adresse e-mail 3', 'Adresse de courrier 3'], email(3, 'value')),
  c('E-mail 3 Type', 'E-Mail 3: Typ', 'Type de messagerie 3', email(3, 'service')),
  c('E-mail 3 Display Name', 'E-Mail 3: Angezeigter Name', "Nom complet de l'adresse de messagerie 3", IGNORE),
  c('Gender', 'Geschlecht', 'Sexe', single('gender')),
  c('Government ID Number', ['Regierungsnr.', 'Regierungs-Nr.'], 'Code gouvernement', custom('Government ID Number')),
  c('Hobby', 'Hobby', 'Passe-temps', custom('Hobby')),
  c('Home Address PO Box', 'Postfach privat', 'Boîte postale du domicile', adr('home', 'poBox')),
  // Outlook fills Initials in by itself from the name: nothing the user wrote.
  c('Initials', 'Initialen', 'Initiales', IGNORE),
  c('Internet Free Busy', ['Internet Frei/Gebucht', 'Internet-Frei/Gebucht'], 'Disponibilité Internet', custom('Internet Free Busy')),
  c('Keywords', 'Stichwörter', 'Mots clés', custom('Keywords')),
  c('Language', 'Sprache', 'Langue', custom('Language')),
  c('Location', 'Ort', 'Emplacement', custom('Location')),
  c("Manager's Name", ['Name des/r Vorgesetzten', 'Name des/der Vorgesetzten'], 'Responsable', related([], 'Manager')),
  c('Mileage', 'Reisekilometer', 'Kilométrage', custom('Mileage')),
  c('Notes', 'Notizen', 'Notes', single('note')),
  c('Office Location', 'Büro', 'Bureau', custom('Office Location')),
  c('Organizational ID Number', ['Organisationsnr.', 'Organisations-Nr.'], "Numéro d'identification de l'organisation", custom('Organizational ID Number')),
  c('Other Address PO Box', 'Weiteres Postfach', 'Autre boîte postale', adr('other', 'poBox')),
  c('Priority', 'Priorität', 'Priorité', custom('Priority')),
  c('Private', 'Privat', 'Privé', custom('Private')),
  c('Profession', 'Beruf', 'Profession', single('role')),
  c('Referred By', 'Empfohlen von', 'Recommandé par', related([], 'Referred By')),
  c('Sensitivity', 'Vertraulichkeit', 'Critère de diffusion', custom('Sensitivity')),
  c('Spouse', 'Partner', 'Conjoint(e)', related(['spouse'])),
  c('User 1', 'Benutzer 1', 'Utilisateur 1', custom('User 1')),
  c('User 2', 'Benutzer 2', 'Utilisateur 2', custom('User 2')),
  c('User 3', 'Benutzer 3', 'Utilisateur 3', custom('User 3')),
  c('User 4', 'Benutzer 4', 'Utilisateur 4', custom('User 4')),
  c('Web Page', 'Webseite', 'Page Web', itemColumn('url', 'value')),
];

/** English spellings other Outlook versions write (older ones, Outlook.com, LinkedIn's export). */
const EN_ALIASES: Readonly<Record<string, string>> = {
  'Business Country': 'Business Country/Region',
  'Home Country': 'Home Country/Region',
  'Other Country': 'Other Country/Region',
  'E-mail Address 1': 'E-mail Address',
};

/** The columns in the order the German export writes them, by English id. */
const DE_ORDER = [
  'Title', 'First Name', 'Middle Name', 'Last Name', 'Suffix', 'Company', 'Department', 'Job Title',
  'Business Street', 'Business Street 2', 'Business Street 3', 'Business City', 'Business State', 'Business Postal Code', 'Business Country/Region',
  'Home Street', 'Home Street 2', 'Home Street 3', 'Home City', 'Home State', 'Home Postal Code', 'Home Country/Region',
  'Other Street', 'Other Street 2', 'Other Street 3', 'Other City', 'Other State', 'Other Postal Code', 'Other Country/Region',
  "Assistant's Phone", 'Business Fax', 'Business Phone', 'Business Phone 2', 'Callback', 'Car Phone', 'Company Main Phone', 'Home Fax',
  'Home Phone', 'Home Phone 2', 'ISDN', 'Mobile Phone', 'Other Fax', 'Other Phone', 'Pager', 'Primary Phone', 'Radio Phone', 'TTY/TDD Phone', 'Telex',
  'Billing Information', 'User 1', 'User 2', 'User 3', 'User 4', 'Profession', 'Office Location',
  'E-mail Address', 'E-mail Type', 'E-mail Display Name', 'E-mail 2 Address', 'E-mail 2 Type', 'E-mail 2 Display Name',
  'E-mail 3 Address', 'E-mail 3 Type', 'E-mail 3 Display Name', 'Referred By', 'Birthday', 'Gender', 'Hobby', 'Initials', 'Internet Free Busy',
  'Anniversary', 'Categories', 'Children', 'Account', "Assistant's Name", "Manager's Name", 'Notes', 'Organizational ID Number', 'Location',
  'Spouse', 'Business Address PO Box', 'Home Address PO Box', 'Priority', 'Private', 'Government ID Number', 'Mileage', 'Language', 'Keywords',
  'Sensitivity', 'Directory Server', 'Web Page', 'Other Address PO Box',
];

/** The columns in the order the French export writes them, by English id. */
const FR_ORDER = [
  'Title', 'First Name', 'Middle Name', 'Last Name', 'Suffix', 'Company', 'Department', 'Job Title',
  'Business Street', 'Business Street 2', 'Business Street 3', 'Business City', 'Business State', 'Business Postal Code', 'Business Country/Region',
  'Home Street', 'Home Street 2', 'Home Street 3', 'Home City', 'Home State', 'Home Postal Code', 'Home Country/Region',
  'Other Street', 'Other Street 2', 'Other Street 3', 'Other City', 'Other State', 'Other Postal Code', 'Other Country/Region',
  "Assistant's Phone", 'Business Fax', 'Business Phone', 'Business Phone 2', 'Callback', 'Car Phone', 'Company Main Phone', 'Home Fax',
  'Home Phone', 'Home Phone 2', 'ISDN', 'Mobile Phone', 'Other Fax', 'Other Phone', 'Pager', 'Primary Phone', 'Radio Phone', 'TTY/TDD Phone', 'Telex',
  'E-mail Address', 'E-mail Type', 'E-mail Display Name', 'E-mail 2 Address', 'E-mail 2 Type', 'E-mail 2 Display Name',
  'E-mail 3 Address', 'E-mail 3 Type', 'E-mail 3 Display Name', 'Birthday', 'Anniversary', 'Other Address PO Box', 'Business Address PO Box',
  'Home Address PO Box', 'Office Location', 'Categories', 'Government ID Number', 'Account', 'Spouse', 'Sensitivity', 'Internet Free Busy',
  'Location', 'Children', 'Billing Information', 'Initials', 'Mileage', 'Language', 'Keywords', "Assistant's Name", 'Notes',
  'Organizational ID Number', 'Web Page', 'Hobby', 'Priority', 'Private', 'Profession', 'Referred By', "Manager's Name", 'Directory Server',
  'Gender', 'User 1', 'User 2', 'User 3', 'User 4',
];

const byEnglish = new Map(OUTLOOK_COLUMNS.map((col) => [col.en, col]));

/** The columns of one language's export, in its order. */
export function outlookColumns(language: OutlookLanguage): readonly OutlookColumn[] {
  if (language === 'en') return OUTLOOK_COLUMNS;
  return (language === 'de' ? DE_ORDER : FR_ORDER).map((id) => byEnglish.get(id)!);
}

/** The header Outlook writes for a column in a language. */
export function outlookHeader(column: OutlookColumn, language: OutlookLanguage): string {
  return language === 'en' ? column.en : column[language][0]!;
}

/** Every spelling of every column in a language, lower-cased, each with its columns (French "Titre" has two). */
export function outlookHeaderIndex(language: OutlookLanguage, normalize: (h: string) => string): Map<string, OutlookColumn[]> {
  const index = new Map<string, OutlookColumn[]>();
  const add = (name: string, col: OutlookColumn) => {
    const key = normalize(name);
    index.set(key, [...(index.get(key) ?? []), col]);
  };
  for (const col of outlookColumns(language)) {
    if (language === 'en') add(col.en, col);
    else for (const name of col[language]) add(name, col);
  }
  if (language === 'en') for (const [alias, id] of Object.entries(EN_ALIASES)) add(alias, byEnglish.get(id)!);
  return index;
}
