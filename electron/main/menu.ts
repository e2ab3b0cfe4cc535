/**
 * The application menu, by each platform's conventions: on macOS the app menu (About, Hide, Quit)
 * and a Window menu; everywhere File, Edit (with roles, so copy and paste work in every field),
 * View and Help with About. Custom items send a command to the window or run in main. Labels come
 * from a small table per language (the window's catalogues are in the renderer bundle).
 */
import type { MenuItemConstructorOptions } from 'electron';

export type MenuCommand = 'new-contact' | 'find' | 'settings' | 'import' | 'about';

const LABELS = {
  en: { file: 'File', newContact: 'New Contact', find: 'Find', import: 'Import vCard…', edit: 'Edit', view: 'View', window: 'Window', help: 'Help', about: 'About Cardinal', openFailed: 'Cardinal could not open {files}.', settings: 'Settings…', unsavedTitle: 'You have unsaved changes', unsavedDetail: 'Save the contact you are editing before closing?', save: 'Save', discard: 'Discard', cancel: 'Cancel' },
  fa: { file: 'پرونده', newContact: 'مخاطب جدید', find: 'جستجو', import: 'وارد کردن vCard…', edit: 'ویرایش', view: 'نمایش', window: 'پنجره', help: 'راهنما', about: 'دربارهٔ Cardinal', openFailed: 'Cardinal نتوانست {files} را باز کند.', settings: 'تنظیمات…', unsavedTitle: 'تغییرهای ذخیره‌نشده دارید', unsavedDetail: 'مخاطبی را که ویرایش می‌کنید پیش از بستن ذخیره کنیم؟', save: 'ذخیره', discard: 'دور انداختن', cancel: 'انصراف' },
  'zh-CN': { file: '文件', newContact: '新建联系人', find: '查找', import: '导入 vCard…', edit: '编辑', view: '显示', window: '窗口', help: '帮助', about: '关于 Cardinal', openFailed: 'Cardinal 无法打开 {files}.', settings: '设置…', unsavedTitle: '有未保存的更改', unsavedDetail: '关闭前保存正在编辑的联系人吗？', save: '保存', discard: '放弃', cancel: '取消' },
  'zh-TW': { file: '檔案', newContact: '新增聯絡人', find: '尋找', import: '匯入 vCard…', edit: '編輯', view: '顯示', window: '視窗', help: '說明', about: '關於 Cardinal', openFailed: 'Cardinal 無法開啟 {files}.', settings: '設定…', unsavedTitle: '有尚未儲存的變更', unsavedDetail: '關閉前要儲存正在編輯的聯絡人嗎？', save: '儲存', discard: '捨棄', cancel: '取消' },
} as const;

export type MenuLanguage = keyof typeof LABELS;

/** The shell's own words (menus, its dialogs) in the OS language. */
export function shellLabels(language: MenuLanguage): (typeof LABELS)[MenuLanguage] {
  return LABELS[language];
}

/** The menu language for an OS locale (BCP 47). */
export function menuLanguage(locale: string): MenuLanguage {
  const l = locale.toLowerCase();
  if (l.startsWith('fa')) return 'fa';
  if (l.startsWith('zh')) return /tw|hk|mo|hant/.test(l) ? 'zh-TW' : 'zh-CN';
  return 'en';
}

export function menuTemplate(platform: NodeJS.Platform, language: MenuLanguage, run: (command: MenuCommand) => void, devTools: boolean): MenuItemConstructorOptions[] {
  const t = LABELS[language];
  const mac = platform === 'darwin';
  const appMenu: MenuItemConstructorOptions = {
    label: 'Cardinal',
    submenu: [{ role: 'about' }, { type: 'separator' }, { label: t.settings, accelerator: 'CmdOrCtrl+,', click: () => run('settings') }, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
  };
  const file: MenuItemConstructorOptions = {
    label: t.file,
    submenu: [
      { label: t.newContact, accelerator: 'CmdOrCtrl+N', click: () => run('new-contact') },
      { label: t.import, accelerator: 'CmdOrCtrl+O', click: () => run('import') },
      ...(mac ? [] : [{ type: 'separator' } as const, { label: t.settings, accelerator: 'CmdOrCtrl+,', click: () => run('settings') }]),
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: t.edit,
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { role: 'selectAll' },
      { type: 'separator' },
      { label: t.find, accelerator: 'CmdOrCtrl+F', click: () => run('find') },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: t.view,
    submenu: [
      ...(devTools ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = { label: t.window, role: 'windowMenu' };
  const help: MenuItemConstructorOptions = {
    label: t.help,
    role: 'help',
    // macOS has About in the app menu; elsewhere it is the Help menu's.
    submenu: mac ? [] : [{ label: t.about, click: () => run('about') }],
  };
  return mac ? [appMenu, file, edit, view, windowMenu, help] : [file, edit, view, help];
}
