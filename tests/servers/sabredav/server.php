<?php
// SabreDAV 1.8 (Debian's php-sabre-dav) as a CardDAV server for Cardinal's tests, under PHP's
// built-in server: `php -S 127.0.0.1:PORT server.php` with CARDINAL_SABRE_DB naming the SQLite
// database that admin.php made. The PDO backends as Debian ships them: Digest authentication,
// principals under /principals/, address books under /addressbooks/<user>/.
date_default_timezone_set('UTC');
// SabreDAV 1.8 predates PHP 8.2: its dynamic properties are deprecations, not errors.
error_reporting(E_ALL & ~E_DEPRECATED);
ini_set('display_errors', '0');
require_once 'Sabre/autoload.php';

$pdo = new PDO('sqlite:' . getenv('CARDINAL_SABRE_DB'));
$pdo->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
$principals = new Sabre\DAVACL\PrincipalBackend\PDO($pdo);
$server = new Sabre\DAV\Server(array(
    new Sabre\DAVACL\PrincipalCollection($principals),
    new Sabre\CardDAV\AddressBookRoot($principals, new Sabre\CardDAV\Backend\PDO($pdo)),
));
$server->setBaseUri('/');
$server->addPlugin(new Sabre\DAV\Auth\Plugin(new Sabre\DAV\Auth\Backend\PDO($pdo), 'SabreDAV'));
$server->addPlugin(new Sabre\CardDAV\Plugin());
$server->addPlugin(new Sabre\DAVACL\Plugin());
$server->exec();
