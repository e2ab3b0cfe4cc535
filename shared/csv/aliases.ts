/**
 * A proposed mapping for a CSV of no known format (a spreadsheet, another program's export):
 * header words in the languages Cardinal speaks and a few common others, then the meaning Google's
 * or Outlook's sets give the header, then, for columns whose header says nothing, what the values
 * look like (e-mail addresses, phone numbers).
 */
import { normalizeHeader } from './google-columns';
import { customFieldTarget, itemColumn, single, type ColumnTarget } from './targets';

const ALIASES: readonly (readonly [target: ColumnTarget, names: readonly string[]])[] = [
  [single('name.full'), ['name', 'full name', 'display name', 'contact', 'contact name', 'nom complet', 'vollständiger name', 'nombre completo', 'полное имя', '姓名', '名字', 'نام کامل', 'نام و نام خانوادگی', 'celé jméno', 'imię i nazwisko']],
  [single('name.given'), ['first name', 'given name', 'first', 'forename', 'vorname', 'prénom', 'prenom', 'nombre', 'nome', 'имя', 'jméno', 'imię', 'voornaam', '名', 'نام']],
  [single('name.additional'), ['middle name', 'additional name', 'second name', 'zweiter vorname', 'deuxième prénom', 'отчество']],
  [single('name.family'), ['last name', 'family name', 'surname', 'last', 'nachname', 'nom', 'nom de famille', 'apellido', 'apellidos', 'cognome', 'фамилия', 'příjmení', 'nazwisko', 'achternaam', '姓', 'نام خانوادگی']],
  [single('name.prefix'), ['prefix', 'salutation', 'anrede', 'civilité']],
  [single('name.suffix'), ['suffix']],
  [single('nickname'), ['nickname', 'nick', 'spitzname', 'surnom', 'apodo', '昵称', '暱稱', 'نام مستعار']],
  [single('org.name'), ['company', 'organization', 'organisation', 'org', 'employer', 'firma', 'unternehmen', 'société', 'entreprise', 'empresa', 'azienda', 'компания', 'организация', 'společnost', '公司', '单位', '單位', 'شرکت', 'سازمان']],
  [single('org.department'), ['department', 'abteilung', 'service', 'departamento', 'отдел', '部门', '部門']],
  [single('title'), ['title', 'job title', 'position', 'job', 'titre', 'fonction', 'poste', 'cargo', 'должность', '职位', '職稱', 'سمت', 'عنوان شغلی']],
  [single('birthday'), ['birthday', 'birth date', 'date of birth', 'dob', 'born', 'geburtstag', 'geburtsdatum', 'anniversaire', 'date de naissance', 'cumpleaños', 'fecha de nacimiento', 'день рождения', 'дата рождения', 'narozeniny', 'urodziny', '生日', 'تاریخ تولد', 'تولد']],
  [single('anniversary'), ['anniversary', 'jahrestag', 'hochzeitstag']],
  [single('note'), ['notes', 'note', 'comment', 'comments', 'remarks', 'description', 'notizen', 'bemerkungen', 'remarques', 'notas', 'заметки', 'примечание', 'poznámka', 'uwagi', '备注', '備註', 'یادداشت', 'توضیحات']],
  [single('categories'), ['categories', 'category', 'groups', 'group', 'labels', 'tags', 'kategorien', 'gruppe', 'catégories', 'groupe', 'categorías', 'группа', 'skupina', 'grupa', '分组', '群組', 'گروه', 'برچسب']],
  [single('gender'), ['gender', 'sex', 'geschlecht', 'sexe', 'sexo', 'пол', 'جنسیت']],
  [itemColumn('email', 'value'), ['email', 'e-mail', 'mail', 'email address', 'e-mail address', 'e-mail-adresse', 'courriel', 'adresse e-mail', 'correo', 'correo electrónico', 'эл. почта', 'электронная почта', 'почта', 'e-mailová adresa', '邮箱', '电子邮件', '電子郵件', 'ایمیل', 'پست الکترونیک', 'رایانامه']],
  [itemColumn('email', 'value', { types: ['work'] }), ['work email', 'business email', 'office email', 'e-mail geschäftlich']],
  [itemColumn('email', 'value', { types: ['home'] }), ['home email', 'personal email', 'private email', 'e-mail privat']],
  [itemColumn('phone', 'value'), ['phone', 'telephone', 'phone number', 'tel', 'tel.', 'telefon', 'téléphone', 'teléfono', 'telefono', 'телефон', 'telefonní číslo', '电话', '電話', 'تلفن', 'شماره تلفن']],
  [itemColumn('phone', 'value', { types: ['cell'] }), ['mobile', 'mobile phone', 'cell', 'cell phone', 'cellphone', 'handy', 'mobiltelefon', 'mobil', 'portable', 'mobile (portable)', 'móvil', 'celular', 'cellulare', 'мобильный', 'мобильный телефон', '手机', '手機', 'موبایل', 'تلفن همراه']],
  [itemColumn('phone', 'value', { types: ['work'] }), ['work phone', 'business phone', 'office phone', 'telefon geschäftlich', 'téléphone professionnel', 'рабочий телефон']],
  [itemColumn('phone', 'value', { types: ['home'] }), ['home phone', 'private phone', 'telefon privat', 'téléphone domicile', 'домашний телефон']],
  [itemColumn('phone', 'value', { types: ['fax'] }), ['fax', 'telefax', 'télécopie', 'факс', '传真', '傳真', 'فکس', 'نمابر']],
  [itemColumn('url', 'value'), ['website', 'web site', 'web', 'url', 'homepage', 'web page', 'webseite', 'site web', 'sitio web', 'сайт', '网站', '網站', 'وب‌سایت', 'وبسایت']],
  [itemColumn('address', 'street', { item: 'address' }), ['street', 'address', 'street address', 'straße', 'strasse', 'adresse', 'rue', 'dirección', 'calle', 'адрес', 'улица', 'ulice', 'ulica', '地址', '街道', 'آدرس', 'نشانی']],
  [itemColumn('address', 'locality', { item: 'address' }), ['city', 'town', 'ort', 'stadt', 'ville', 'ciudad', 'город', 'město', 'miasto', '城市', 'شهر']],
  [itemColumn('address', 'region', { item: 'address' }), ['state', 'region', 'province', 'county', 'bundesland', 'région', 'provincia', 'область', 'kraj', 'województwo', '省', 'استان']],
  [itemColumn('address', 'postalCode', { item: 'address' }), ['zip', 'zip code', 'postal code', 'postcode', 'plz', 'postleitzahl', 'code postal', 'código postal', 'cap', 'индекс', 'psč', 'kod pocztowy', '邮编', '郵遞區號', 'کد پستی']],
  [itemColumn('address', 'country', { item: 'address' }), ['country', 'land', 'pays', 'país', 'paese', 'страна', 'země', 'kraj zamieszkania', '国家', '國家', 'کشور']],
];

const index = new Map<string, ColumnTarget>();
for (const [target, names] of ALIASES) for (const n of names) if (!index.has(normalizeHeader(n))) index.set(normalizeHeader(n), target);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().\-/]{6,}$/;

function looksLike(values: readonly string[], pattern: RegExp): boolean {
  const filled = values.map((v) => v.trim()).filter((v) => v !== '');
  return filled.length > 0 && filled.filter((v) => pattern.test(v) && (pattern !== PHONE || v.replace(/\D/g, '').length >= 6)).length >= filled.length * 0.8;
}

/** The target a header names, by its words alone; null when it names nothing known. */
export function aliasTarget(header: string): ColumnTarget | null {
  return index.get(normalizeHeader(header)) ?? null;
}

/**
 * The proposed target of a column of a CSV in no known format: its header's meaning, else what
 * its sample values look like, else a custom field under the header's name (so nothing is lost
 * unless the user leaves the column out).
 */
export function proposeTarget(header: string, sample: readonly string[], knownTarget: (header: string) => ColumnTarget | null): ColumnTarget | null {
  const named = aliasTarget(header) ?? knownTarget(header);
  if (named !== null) return named;
  if (looksLike(sample, EMAIL)) return itemColumn('email', 'value');
  if (looksLike(sample, PHONE)) return itemColumn('phone', 'value');
  if (header.trim() === '' || sample.every((v) => v.trim() === '')) return null;
  return customFieldTarget(header);
}

/** True when a first row is data rather than headers: it holds an e-mail address or a phone number. */
export function looksLikeData(cells: readonly string[]): boolean {
  return cells.some((c) => EMAIL.test(c.trim()) || (PHONE.test(c.trim()) && c.replace(/\D/g, '').length >= 6));
}
