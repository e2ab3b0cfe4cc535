/**
 * Every string the UI shows, per language. English is the reference: the other catalogues must
 * have exactly its keys (a unit test checks), so a missing translation is a failing test, not a
 * blank label.
 */
export const en = {
  'app.title': 'Cardinal',
  'app.tagline': 'Your contacts, on your machine.',
  'app.loading': 'Starting…',
  'app.shell.electron': 'Desktop app, version {version}',
  'app.shell.harness': 'Browser harness, version {version}',
  'app.error.unreachable': 'Cannot reach the Cardinal core: {message}',
  'app.empty': 'No contacts yet.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

export const zhTW: Catalogue = {
  'app.title': 'Cardinal',
  'app.tagline': '你的聯絡人，留在你的電腦上。',
  'app.loading': '正在啟動…',
  'app.shell.electron': '桌面應用程式，版本 {version}',
  'app.shell.harness': '瀏覽器測試環境，版本 {version}',
  'app.error.unreachable': '無法連線到 Cardinal 核心：{message}',
  'app.empty': '尚無聯絡人。',
};

export const zhCN: Catalogue = {
  'app.title': 'Cardinal',
  'app.tagline': '你的联系人，留在你的电脑上。',
  'app.loading': '正在启动…',
  'app.shell.electron': '桌面应用，版本 {version}',
  'app.shell.harness': '浏览器测试环境，版本 {version}',
  'app.error.unreachable': '无法连接到 Cardinal 核心：{message}',
  'app.empty': '还没有联系人。',
};

export const fa: Catalogue = {
  'app.title': 'کاردینال',
  'app.tagline': 'مخاطبان شما، روی رایانهٔ خودتان.',
  'app.loading': 'در حال آغاز…',
  'app.shell.electron': 'برنامهٔ رومیزی، نگارش {version}',
  'app.shell.harness': 'محیط آزمون مرورگر، نگارش {version}',
  'app.error.unreachable': 'دسترسی به هستهٔ کاردینال ممکن نیست: {message}',
  'app.empty': 'هنوز مخاطبی نیست.',
};
