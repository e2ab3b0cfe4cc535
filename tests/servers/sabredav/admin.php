<?php
// The test setup's hand on a SabreDAV database, through SabreDAV's own PDO backend (so the CTag
// moves as it does for a client's PUT):
//   php admin.php DB init USER PASSWORD      schema from Debian's examples, the user, no books
//   php admin.php DB book USER URI NAME      a new, empty address book
//   php admin.php DB seed USER URI < cards   cards as JSON [{file, vcard}]
error_reporting(E_ALL & ~E_DEPRECATED);
require_once 'Sabre/autoload.php';

list(, $db, $command) = $argv;
$pdo = new PDO('sqlite:' . $db);
$pdo->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
$cards = new Sabre\CardDAV\Backend\PDO($pdo);

function bookId($cards, $user, $uri) {
    foreach ($cards->getAddressBooksForUser("principals/$user") as $book) {
        if ($book['uri'] === $uri) return $book['id'];
    }
    fwrite(STDERR, "no address book $uri\n");
    exit(1);
}

if ($command === 'init') {
    list(, , , $user, $password) = $argv;
    $sql = '/usr/share/doc/php-sabre-dav/examples/sql/';
    foreach (array('sqlite.addressbooks.sql', 'sqlite.principals.sql', 'sqlite.users.sql') as $file) {
        $pdo->exec(file_get_contents($sql . $file));
    }
    $pdo->prepare('INSERT INTO principals (uri, email, displayname) VALUES (?, ?, ?)')->execute(array("principals/$user", "$user@example.org", ucfirst($user)));
    $pdo->prepare('INSERT INTO users (username, digesta1) VALUES (?, ?)')->execute(array($user, md5("$user:SabreDAV:$password")));
} elseif ($command === 'book') {
    list(, , , $user, $uri, $name) = $argv;
    $cards->createAddressBook("principals/$user", $uri, array('{DAV:}displayname' => $name));
} elseif ($command === 'seed') {
    list(, , , $user, $uri) = $argv;
    $id = bookId($cards, $user, $uri);
    // One transaction: SQLite commits each statement to disk otherwise (10,000 cards took 140 s).
    $pdo->beginTransaction();
    foreach (json_decode(stream_get_contents(STDIN), true) as $card) {
        $cards->createCard($id, $card['file'], $card['vcard']);
    }
    $pdo->commit();
} else {
    fwrite(STDERR, "unknown command $command\n");
    exit(2);
}
